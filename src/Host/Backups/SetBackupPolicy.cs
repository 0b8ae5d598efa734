using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain;
using Sre.Domain.Backups;
using Sre.Host.Operations;
using Sre.Host.Slos;
using Wolverine.Attributes;
using Wolverine.Http;

namespace Sre.Host.Backups;

/// <summary>
/// How a target is backed up. Durations as Prometheus writes them; timeZone is IANA (default UTC); grace defaults
/// to 30m. <c>slos</c> gives the target freshness and durability SLOs (targets as ratios, window default 28d).
/// </summary>
public sealed record SetBackupPolicyRequest(
    string? Kind = null, string? Schedule = null, TimeSpan? Rpo = null, string? TimeZone = null, TimeSpan? Grace = null, TimeSpan? Retention = null,
    bool? OpenIncident = null, BackupSloTargets? Slos = null, string? By = null);

public sealed record BackupPolicyView(string Target, BackupPolicy Policy, IReadOnlyList<string> Slos, long Version);

public static class SetBackupPolicyEndpoint
{
    [WolverinePut("/api/v1/backups/policies/{target}")]
    // It commits itself, once its SLOs are decided: a refused one leaves the policy's events uncommitted, not stored.
    [NonTransactional]
    [Authorize(Policies.Admin)]
    public static async Task<IResult> Put(
        string target, SetBackupPolicyRequest request, IDocumentSession session, TimeProvider clock, HttpContext http)
    {
        var ct = http.RequestAborted;
        var errors = new Dictionary<string, string[]>();
        BackupRules.CheckTarget(target, errors);
        var policy = BackupRules.Policy(request.Kind, request.Schedule, request.TimeZone, request.Rpo, request.Grace, request.Retention,
            request.OpenIncident, request.Slos, errors);
        FieldRules.CheckText("by", request.By, 200, errors);
        if (policy is null || errors.Count > 0) return Problems.Invalid(errors);

        var now = clock.GetUtcNow();
        var by = Actor.Of(http, request.By);
        var id = BackupTarget.IdFor(target);
        var stream = await session.Events.FetchForWriting<BackupTarget>(id, ct);
        var slos = BackupSlos.For(target, policy);
        var stored = stream.CurrentVersion ?? 0;
        // The same policy again stores nothing, and answers the version that is stored.
        if (stream.Aggregate?.Policy == policy) return Results.Ok(new BackupPolicyView(target, policy, slos.Select(s => s.Name).ToList(), stored));

        var set = new BackupPolicySet(target, policy, now, by);
        if (stream.Aggregate is null) session.Events.StartStream<BackupTarget>(id, set);
        else stream.AppendOne(set);
        foreach (var slo in slos)
        {
            var (_, decision) = await SloWrites.Upsert(session, slo, by, now, ct);
            if (decision.Refusal is { } refusal) return Problems.Conflict($"{slo.Name}: {refusal.Reason}");
        }
        await session.SaveChangesAsync(ct);
        var view = new BackupPolicyView(target, policy, slos.Select(s => s.Name).ToList(), stored + 1);
        return stream.Aggregate is null ? Results.Created($"/api/v1/backups/policies/{target}", view) : Results.Ok(view);
    }

    [WolverineGet("/api/v1/backups/policies/{target}")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(string target, IQuerySession session, HttpContext http) =>
        await session.LoadAsync<BackupTarget>(BackupTarget.IdFor(target), http.RequestAborted) is { Policy: { } policy } t
            ? Results.Ok(new BackupPolicyView(target, policy, BackupSlos.For(target, policy).Select(s => s.Name).ToList(), t.Version))
            : Problems.NotFound($"No backup policy for '{target}'.");
}
