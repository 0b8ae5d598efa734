using Sre.Domain.Incidents;

namespace Sre.Domain.Slos.Alerting;

/// <summary>An alert occurrence as Alertmanager notified it: its rule (alertname), the SLO (label <c>slo</c>) and service it
/// concerns, its first notification, its resolution (null while firing), its triage verdict and the incident it belongs to.</summary>
public sealed record NotifiedAlert(
    string Id, string AlertName, string? Slo, string Service, DateTimeOffset NotifiedAt, DateTimeOffset? ResolvedAt, AlertVerdict? Verdict,
    Guid? IncidentId = null);

/// <summary>What made an event significant: an SLO's SLI data (a recorded budget event) or a person (a declared incident).</summary>
public enum SignificantEventKind
{
    BudgetEvent,
    DeclaredIncident,
}

/// <summary>
/// A significant event (SRE workbook ch. 5) of a service, concerning <see cref="Slos"/>: a budget event of one SLO
/// (<see cref="Of(string, string, BudgetEvent)"/>), or a declared incident from its impact's start to its mitigation
/// (else resolution; while neither, it is not <see cref="Over"/>), whose attached alerts count for it whenever they came
/// (<see cref="IncidentId"/>).
/// </summary>
public sealed record SignificantEvent(
    SignificantEventKind Kind, string Service, IReadOnlyList<string> Slos, DateTimeOffset Start, DateTimeOffset End, bool Over,
    Guid? IncidentId = null, BudgetEvent? BudgetEvent = null) : ISignificantPeriod
{
    public static SignificantEvent Of(string slo, string service, BudgetEvent e) =>
        new(SignificantEventKind.BudgetEvent, service, [slo], e.Start, e.End, true, BudgetEvent: e);

    /// <summary>A declared incident as a significant event, as known at <paramref name="now"/>; null for an incident an alert opened.</summary>
    public static SignificantEvent? Of(Incident incident, DateTimeOffset now)
    {
        if (!incident.Declared || incident.ImpactStartedAt is not { } start || incident.MergedInto is not null) return null;
        var end = (incident.Mitigated ?? incident.Resolved)?.At;
        return new SignificantEvent(SignificantEventKind.DeclaredIncident, incident.Service, incident.Slos, start,
            end ?? (now > start ? now : start), end is not null, incident.Id);
    }
}

/// <summary>Significant alerts by the evidence they rest on: a triage verdict (actionable), or, untriaged, a budget event they
/// matched, else a declared incident they matched.</summary>
public sealed record PrecisionEvidence(int Triaged, int BudgetEvent, int DeclaredIncident);

/// <summary>Significant ÷ all alerts (null without alerts); <see cref="Noise"/> alerts were triaged noise, <see cref="Unmatched"/>
/// are untriaged and matched no significant event.</summary>
public sealed record PrecisionMeasure(double? Value, int Alerts, int Significant, PrecisionEvidence Evidence, int Noise, int Unmatched);

/// <summary>Significant events of one kind, and how many of them an alert matched.</summary>
public sealed record EventCount(int Events, int Detected);

/// <summary>Significant events matched by at least one alert ÷ all significant events (null without events), with the
/// counts of each kind.</summary>
public sealed record RecallMeasure(double? Value, int Events, int Detected, EventCount BudgetEvents, EventCount DeclaredIncidents);

/// <summary>Seconds over <see cref="Count"/> cases: mean, p50, p90 (nearest rank); null without cases.</summary>
public sealed record SecondsSummary(int Count, double? Mean, double? P50, double? P90)
{
    public static SecondsSummary Of(DurationSummary d) => new(d.Count, d.Mean?.TotalSeconds, d.P50?.TotalSeconds, d.P90?.TotalSeconds);
}

/// <summary>The four measures of one rule, SLO or service (<see cref="Key"/>).</summary>
public sealed record AlertQualityRow(
    string Key, PrecisionMeasure Precision, RecallMeasure Recall, SecondsSummary DetectionSeconds, SecondsSummary ResetSeconds);

/// <summary>The four measures over everything, and per alert rule, per SLO and per service.</summary>
public sealed record AlertQualityMeasures(
    AlertQualityRow Overall, IReadOnlyList<AlertQualityRow> Rules, IReadOnlyList<AlertQualityRow> Slos, IReadOnlyList<AlertQualityRow> Services);

/// <summary>
/// Alert quality of real alerts against the significant events: recorded budget events and declared incidents (SRE
/// workbook ch. 5), the maths of <see cref="AlertMeasures"/>.
/// <list type="bullet">
/// <item>Matching: an alert counts for an event when it concerns it (<see cref="Concerns"/>: the same SLO, label
/// <c>slo</c>, or the same service) and was first notified between the event's start and its end plus the grace; and an
/// alert of a declared incident (attached to it) counts for it whenever it came.</item>
/// <item>Precision: an alert is significant when triaged actionable, or, untriaged, when it matched an event; triaged
/// noise never is, whatever it matched.</item>
/// <item>Recall, detection time (event start → first matching notification) and reset time (event end, a declared
/// incident's mitigation → the last matching alert's resolution, 0 if before) count every alert that matched, triaged
/// or not.</item>
/// <item>A rule's events are those any of its alerts concerns; an SLO's alerts those that concern it or its service, its
/// events those that concern it; a service's alerts those of the service or of one of its SLOs, its events its own.</item>
/// </list>
/// </summary>
public static class SloAlertQuality
{
    public static bool Concerns(NotifiedAlert a, SignificantEvent e) =>
        a.Service == e.Service || (a.Slo is not null && e.Slos.Contains(a.Slo)) || (e.IncidentId is not null && a.IncidentId == e.IncidentId);

    public static bool Matches(NotifiedAlert a, SignificantEvent e, TimeSpan grace) =>
        (e.IncidentId is not null && a.IncidentId == e.IncidentId)
        || (Concerns(a, e) && AlertMeasures.Matches(AsMeasured(a), e, grace));

    /// <summary>
    /// Whether an incident counts for an event: it concerns it (the same service, or one of the event's SLOs) and was
    /// opened (declared, or opened by its first alert) between the event's start and its end plus the grace. An incident
    /// merged into another counts as that one.
    /// </summary>
    public static bool Counts(Incident incident, SignificantEvent e, TimeSpan grace) =>
        incident.MergedInto is null && incident.Id != e.IncidentId
        && (incident.Service == e.Service || incident.Slos.Any(e.Slos.Contains))
        && incident.OpenedAt >= e.Start && incident.OpenedAt <= e.End + grace;

    /// <summary>The measures over everything, then per rule, SLO (every one of <paramref name="slos"/>, with or without events) and service.</summary>
    public static AlertQualityMeasures Compute(
        IReadOnlyList<NotifiedAlert> alerts, IReadOnlyList<SignificantEvent> events, IReadOnlyList<(string Name, string Service)> slos, TimeSpan grace)
    {
        var rules = alerts.GroupBy(a => a.AlertName)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Row(g.Key, g.ToList(), events.Where(e => g.Any(a => Concerns(a, e))).ToList(), grace))
            .ToList();
        var bySlo = slos.DistinctBy(s => s.Name)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => Row(s.Name, alerts.Where(a => a.Slo == s.Name || a.Service == s.Service).ToList(), events.Where(e => e.Slos.Contains(s.Name)).ToList(), grace))
            .ToList();
        var byService = slos.Select(s => s.Service).Concat(alerts.Select(a => a.Service)).Concat(events.Select(e => e.Service)).Distinct()
            .Order(StringComparer.Ordinal)
            .Select(service => Row(service,
                alerts.Where(a => a.Service == service || slos.Any(s => s.Service == service && s.Name == a.Slo)).ToList(),
                events.Where(e => e.Service == service).ToList(), grace))
            .ToList();
        return new AlertQualityMeasures(Row("all", alerts, events, grace), rules, bySlo, byService);
    }

    public static AlertQualityRow Row(string key, IReadOnlyList<NotifiedAlert> alerts, IReadOnlyList<SignificantEvent> events, TimeSpan grace)
    {
        var alertOf = alerts.ToDictionary(a => a.Id);
        bool Match(BacktestAlert a, SignificantEvent e) => Matches(alertOf[a.Rule], e, grace);
        AlertMeasures Measure(IEnumerable<NotifiedAlert> some, IReadOnlyList<SignificantEvent> of) =>
            AlertMeasures.Of(some.Select(AsMeasured).ToList(), of, Match);

        var all = Measure(alerts, events);
        var untriaged = alerts.Where(a => a.Verdict is null).ToList();
        var budgetEvents = events.Where(e => e.Kind == SignificantEventKind.BudgetEvent).ToList();
        var declared = events.Where(e => e.Kind == SignificantEventKind.DeclaredIncident).ToList();
        var onBudgetEvents = untriaged.Where(a => budgetEvents.Any(e => Matches(a, e, grace))).ToList();
        var onDeclared = untriaged.Except(onBudgetEvents).Count(a => declared.Any(e => Matches(a, e, grace)));
        var actionable = alerts.Count(a => a.Verdict == AlertVerdict.Actionable);
        var significant = actionable + onBudgetEvents.Count + onDeclared;
        EventCount Count(IReadOnlyList<SignificantEvent> of) => new(of.Count, of.Count(e => alerts.Any(a => Matches(a, e, grace))));
        return new AlertQualityRow(
            key,
            new PrecisionMeasure(alerts.Count == 0 ? null : (double)significant / alerts.Count, alerts.Count, significant,
                new PrecisionEvidence(actionable, onBudgetEvents.Count, onDeclared), alerts.Count(a => a.Verdict == AlertVerdict.Noise),
                untriaged.Count - onBudgetEvents.Count - onDeclared),
            new RecallMeasure(all.Recall, all.Events, all.DetectedEvents, Count(budgetEvents), Count(declared)),
            SecondsSummary.Of(all.Detection),
            SecondsSummary.Of(all.Reset));
    }

    private static BacktestAlert AsMeasured(NotifiedAlert a) => new("", a.Id, a.NotifiedAt, a.ResolvedAt);
}
