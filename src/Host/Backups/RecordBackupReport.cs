using Microsoft.AspNetCore.Authorization;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Backups;

public static class RecordBackupReportEndpoint
{
    /// <summary>A backup tool's report: 201 when recorded, 200 for a resend (same name, phase and completion), with the target.</summary>
    [WolverinePost("/api/v1/backups/reports")]
    [Authorize(Policies.Ingest)]
    public static async Task<IResult> Post(Contracts.RecordBackupReport request, BackupWriter writer, TimeProvider clock, HttpContext http)
    {
        var outcome = await writer.Report(request with { By = Actor.Of(http, request.By) }, http.RequestAborted);
        if (outcome.Errors.Count > 0) return Problems.Invalid(outcome.Errors);
        var status = Domain.Backups.BackupStatus.Of(outcome.Target!, clock.GetUtcNow());
        return outcome.Recorded ? Results.Created($"/api/v1/backups/{request.Target}/status", status) : Results.Ok(status);
    }
}
