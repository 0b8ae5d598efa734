using Microsoft.AspNetCore.Authorization;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Backups;

/// <summary>A restore of a backup was tried: did it succeed, how long it took, when (default now).</summary>
public sealed record RecordRestoreTestRequest(
    string? Target = null, string? BackupName = null, bool? Succeeded = null, TimeSpan? Duration = null, DateTimeOffset? TestedAt = null, string? By = null);

public static class RecordRestoreTestEndpoint
{
    [WolverinePost("/api/v1/backups/restore-tests")]
    [Authorize(Policies.Ingest)]
    public static async Task<IResult> Post(RecordRestoreTestRequest request, BackupWriter writer, TimeProvider clock, HttpContext http)
    {
        var outcome = await writer.RestoreTest(request with { By = Actor.Of(http, request.By) }, http.RequestAborted);
        if (outcome.Errors.Count > 0) return Problems.Invalid(outcome.Errors);
        var status = Domain.Backups.BackupStatus.Of(outcome.Target!, clock.GetUtcNow());
        return outcome.Recorded ? Results.Created($"/api/v1/backups/{request.Target}/status", status) : Results.Ok(status);
    }
}
