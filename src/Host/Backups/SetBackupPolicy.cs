using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain;
using Sre.Domain.Backups;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Wolverine.Http;
using Wolverine.Persistence.EventSourcing;

namespace Sre.Host.Backups;

/// <summary>
/// How a target is backed up. Durations as Prometheus writes them; timeZone is IANA (default UTC); grace defaults
/// to 30m. <c>slos</c> gives the target freshness and durability SLOs (targets as ratios, window default 28d).
/// </summary>
public sealed record SetBackupPolicyRequest(
    string? Kind = null, string? Schedule = null, TimeSpan? Rpo = null, string? TimeZone = null, TimeSpan? Grace = null, TimeSpan? Retention = null,
    bool? OpenIncident = null, BackupSloTargets? Slos = null, string? By = null)
{
    /// <summary>The policy asked for, or null with what is wrong in <paramref name="errors"/>.</summary>
    public BackupPolicy? ToPolicy(Dictionary<string, string[]> errors) =>
        BackupRules.Policy(Kind, Schedule, TimeZone, Rpo, Grace, Retention, OpenIncident, Slos, errors);
}

public sealed record BackupPolicyView(string Target, BackupPolicy Policy, IReadOnlyList<string> Slos, long Version);

/// <summary>
/// Sets a target's policy, and defines or changes the SLOs it gives the target, in one transaction: the target's stream
/// and the two SLO streams its name implies are the endpoint's write models.
/// </summary>
public static class SetBackupPolicyEndpoint
{
    public static Guid TargetId(string target) => BackupTarget.IdFor(target);
    public static Guid FreshnessId(string target) => SloIds.For(BackupSlos.FreshnessName(target));
    public static Guid DurabilityId(string target) => SloIds.For(BackupSlos.DurabilityName(target));

    /// <summary>400 for a policy that is not one; 409 when it changes an SLO of the target that was retired.</summary>
    public static ProblemDetails Validate(
        string target, SetBackupPolicyRequest request, BackupTarget? backups, Slo? freshness, Slo? durability)
    {
        var errors = new Dictionary<string, string[]>();
        BackupRules.CheckTarget(target, errors);
        var policy = request.ToPolicy(errors);
        FieldRules.CheckText("by", request.By, 200, errors);
        if (policy is null || errors.Count > 0) return Problems.InvalidDetails(errors);
        if (backups?.Policy == policy) return WolverineContinue.NoProblems;
        foreach (var slo in BackupSlos.For(target, policy))
        {
            var existing = slo.Name == BackupSlos.FreshnessName(target) ? freshness : durability;
            if (existing is not null && SloDecisions.RefuseChange(existing) is { } refusal)
                return Problems.ConflictDetails($"{slo.Name}: {refusal.Reason}");
        }
        return WolverineContinue.NoProblems;
    }

    [WolverinePut("/api/v1/backups/policies/{target}")]
    [Authorize(Policies.Admin)]
    public static IResult Put(
        string target, SetBackupPolicyRequest request,
        [WriteModel(FromMethod = nameof(TargetId), Required = false)] IEventStream<BackupTarget> backups,
        [WriteModel(FromMethod = nameof(FreshnessId), Required = false)] IEventStream<Slo> freshness,
        [WriteModel(FromMethod = nameof(DurabilityId), Required = false)] IEventStream<Slo> durability,
        TimeProvider clock, HttpContext http)
    {
        var policy = request.ToPolicy(new Dictionary<string, string[]>())!;
        var slos = BackupSlos.For(target, policy);
        var stored = backups.CurrentVersion ?? 0;
        var view = new BackupPolicyView(target, policy, slos.Select(s => s.Name).ToList(), stored);
        // The same policy again stores nothing, and answers the version that is stored.
        if (backups.Aggregate?.Policy == policy) return Results.Ok(view);

        var (by, now) = (Actor.Of(http, request.By), clock.GetUtcNow());
        backups.AppendOne(new BackupPolicySet(target, policy, now, by));
        foreach (var slo in slos)
        {
            var stream = slo.Name == BackupSlos.FreshnessName(target) ? freshness : durability;
            stream.AppendMany(SloDecisions.Upsert(stream.Aggregate, slo, by, now).Events);
        }
        view = view with { Version = stored + 1 };
        return backups.Aggregate is null ? Results.Created($"/api/v1/backups/policies/{target}", view) : Results.Ok(view);
    }
}
