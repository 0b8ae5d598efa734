using System.Text.RegularExpressions;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain;
using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Incidents;

/// <summary>
/// The body of <c>POST /api/v1/incidents</c>: an incident no alert opened. <see cref="Title"/> (1–200 characters),
/// <see cref="Service"/> and <see cref="Severity"/> (names), <see cref="Labels"/> (Prometheus label names → values),
/// <see cref="Slos"/> (names of defined SLOs), <see cref="ImpactStartedAt"/> (RFC 3339, not in the future; default now),
/// <see cref="Description"/> (up to 4,000 characters), <see cref="By"/> (who declares it, after the API key's name), and
/// <see cref="Id"/> (a UUID the caller chose, so that a resend stores nothing new; default a new one).
/// </summary>
public sealed record DeclareIncident(
    string? Title = null, string? Service = null, string? Severity = null, Dictionary<string, string>? Labels = null, IReadOnlyList<string>? Slos = null,
    DateTimeOffset? ImpactStartedAt = null, string? Description = null, string? By = null, Guid? Id = null);

/// <summary>
/// Declares an incident that no alert opened (one a customer reported, say): recorded as <see cref="IncidentDeclared"/>
/// with its actor, then the same lifecycle, timeline, statistics and alert-quality measures as an incident an alert
/// opened. Its detection time runs from <c>impactStartedAt</c> to the first notification of an alert attached to it
/// (<c>POST /api/v1/incidents/{id}/alerts</c>). Answers 201 with the incident as <c>GET /api/v1/incidents/{id}</c> shows
/// it (and its <c>ETag</c>), 200 with the stored one for a resend of the same <c>id</c>; 400 naming the field for a bad
/// body or an unknown SLO; 409 when the <c>id</c> is another incident's.
/// </summary>
public static partial class DeclareIncidentEndpoint
{
    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    [WolverinePost("/api/v1/incidents")]
    [Authorize(Policies.Write)]
    public static async Task<IResult> Post(DeclareIncident command, IDocumentSession session, TimeProvider clock, HttpContext http)
    {
        var ct = http.RequestAborted;
        var now = clock.GetUtcNow();
        var errors = Check(command, now);
        var slos = (command.Slos ?? []).Distinct().ToArray();
        if (errors.Count == 0 && slos.Length > 0)
        {
            var known = await session.Query<Slo>().Where(s => s.Name.IsOneOf(slos)).Select(s => s.Name).ToListAsync(ct);
            for (var i = 0; i < command.Slos!.Count; i++)
                if (!known.Contains(command.Slos[i])) errors[$"slos[{i}]"] = [$"no SLO is named '{command.Slos[i]}'."];
        }
        if (errors.Count > 0) return Problems.Invalid(errors);

        var declared = new IncidentDeclared(
            command.Id ?? Guid.CreateVersion7(now), command.Title!.Trim(), command.Service!, command.Severity!, command.Labels ?? [], slos,
            command.ImpactStartedAt ?? now, command.Description, now, Actor.Of(http, command.By));
        if (await session.LoadAsync<Incident>(declared.IncidentId, ct) is { } existing)
            return existing.Declared && existing.Title == declared.Title && existing.Service == declared.Service
                ? await Answer(existing, session, http, StatusCodes.Status200OK)
                : Problems.Conflict($"The id {declared.IncidentId} is another incident's.");
        session.Events.StartStream<Incident>(declared.IncidentId, declared);
        await session.SaveChangesAsync(ct);
        return await Answer(Incident.Create(declared) with { Version = 1 }, session, http, StatusCodes.Status201Created);
    }

    private static async Task<IResult> Answer(Incident incident, IQuerySession session, HttpContext http, int status)
    {
        http.Response.Headers.ETag = IncidentJson.ETag(incident.Version);
        if (status == StatusCodes.Status201Created) http.Response.Headers.Location = $"/api/v1/incidents/{incident.Id}";
        var options = IncidentJson.Options(http);
        var alerts = await IncidentJson.AlertsOf(session, incident.Id, http.RequestAborted);
        return Results.Text(IncidentJson.Render(incident, alerts, options).ToJsonString(options), "application/json", statusCode: status);
    }

    /// <summary>The body's field errors, by field (JSON names).</summary>
    public static Dictionary<string, string[]> Check(DeclareIncident command, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(command.Title)) errors["title"] = ["is required."];
        else FieldRules.CheckText("title", command.Title, 200, errors);
        FieldRules.CheckName("service", command.Service, errors);
        FieldRules.CheckName("severity", command.Severity, errors);
        foreach (var (name, value) in command.Labels ?? [])
        {
            if (!LabelName().IsMatch(name)) errors[$"labels.{name}"] = ["is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)."];
            else FieldRules.CheckText($"labels.{name}", value, 1024, errors);
        }
        for (var i = 0; i < (command.Slos?.Count ?? 0); i++)
            if (!FieldRules.IsName(command.Slos![i])) errors[$"slos[{i}]"] = ["is not an SLO name."];
        FieldRules.CheckInstant("impactStartedAt", command.ImpactStartedAt, now, errors);
        if (command.ImpactStartedAt > now && !errors.ContainsKey("impactStartedAt")) errors["impactStartedAt"] = ["is in the future."];
        if (command.Description is { Length: > 4000 }) errors["description"] = ["must be at most 4000 characters."];
        else if (command.Description?.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')) == true)
            errors["description"] = ["must not contain control characters other than line breaks and tabs."];
        if (command.Id == Guid.Empty) errors["id"] = ["must not be the empty UUID."];
        FieldRules.CheckText("by", command.By, 200, errors);
        return errors;
    }
}
