using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Incidents;
using Sre.Host.Alertmanager;
using Sre.Host.Operations;
using Sre.Projections.Incidents;
using Wolverine.Http;
using Wolverine.Marten;

namespace Sre.Host.Incidents;

/// <summary>The body of <c>POST /api/v1/incidents/{id}/alerts</c>: Alertmanager's <c>groupKey</c> of the group to attach
/// (as its webhook sends it, up to 2,000 characters).</summary>
public sealed record AttachAlertGroup(string? GroupKey = null, string? By = null, long? ExpectedVersion = null) : IIncidentCommand;

/// <summary>The Alertmanager group as stored: how many incidents it opened, and the incident its notifications go to now.</summary>
public sealed record AlertGroupNow(int Sequence, GroupIncident? Current);

/// <summary>
/// Attaches an Alertmanager group to an incident (a declared one whose alert came late, typically): that group's
/// notifications go to this incident from then on, and the group's own incident, if it began at or after this one's
/// impact, is merged here with its alert occurrences (<see cref="IncidentAttachment"/> has the rules). Answers 200 with
/// the incident (its alerts, <c>attachedGroups</c>, <c>mergedIncidents</c>) and its ETag; 400 without a groupKey; 404 for
/// an unknown incident; 409 when the rules refuse (the group's open incident began before the impact, or the group goes
/// to another open incident) or another write came first; 412 for a stale <c>If-Match</c>.
/// </summary>
public static class AttachAlertGroupEndpoint
{
    public static ProblemDetails Validate(AttachAlertGroup command) =>
        string.IsNullOrWhiteSpace(command.GroupKey) ? Problems.InvalidDetails("groupKey", "is required.")
        : command.GroupKey.Length > 2000 ? Problems.InvalidDetails("groupKey", "must be at most 2000 characters.")
        : command.By is { Length: > 200 } ? Problems.InvalidDetails("by", "must be at most 200 characters.")
        : WolverineContinue.NoProblems;

    /// <summary>The group's document and, when it names an incident, that incident as stored (with its version) and its alerts;
    /// read under the group's lock (<see cref="AlertGroupLocks"/>), held to the commit.</summary>
    public static async Task<AlertGroupNow> LoadAsync(AttachAlertGroup command, IDocumentSession session, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        await AlertGroupLocks.Take(session, [command.GroupKey!], ct);
        if (await session.LoadAsync<AlertGroup>(command.GroupKey!, ct) is not { } group) return new AlertGroupNow(0, null);
        if (await session.LoadAsync<Incident>(group.CurrentIncidentId, ct) is not { } current) return new AlertGroupNow(group.Sequence, null);
        return new AlertGroupNow(group.Sequence, new GroupIncident(current, await IncidentJson.AlertsOf(session, current.Id, ct)));
    }

    [WolverinePost("/api/v1/incidents/{id}/alerts")]
    [Authorize(Policies.Write)]
    public static Decision Post(AttachAlertGroup command, [WriteAggregate] Incident incident, AlertGroupNow group, HttpContext http, TimeProvider clock) =>
        IncidentAttachment.Attach(incident, command.GroupKey!, group.Sequence, group.Current, Actor.Of(http, command.By), clock.GetUtcNow());
}
