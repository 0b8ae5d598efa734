using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Backups;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Backups;

/// <summary>A target's backup policy, the SLOs it gives the target and the target's version.</summary>
public static class GetBackupPolicyEndpoint
{
    [WolverineGet("/api/v1/backups/policies/{target}")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(string target, IQuerySession session, HttpContext http) =>
        await session.LoadAsync<BackupTarget>(BackupTarget.IdFor(target), http.RequestAborted) is { Policy: { } policy } t
            ? Results.Ok(new BackupPolicyView(target, policy, BackupSlos.For(target, policy).Select(s => s.Name).ToList(), t.Version))
            : Problems.NotFound($"No backup policy for '{target}'.");
}
