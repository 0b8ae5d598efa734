using Sre.Domain.Time;

namespace Sre.Domain.Incidents;

/// <summary>
/// A service's incidents opened in a window: how many, by severity, open now; time to acknowledge, mitigate and resolve
/// (from the opening); and the detection of the declared ones (<see cref="Detection"/>).
/// </summary>
public sealed record IncidentStats(
    string Service,
    DateTimeOffset From,
    DateTimeOffset To,
    int Incidents,
    IReadOnlyDictionary<string, int> BySeverity,
    int OpenNow,
    DurationSummary TimeToAcknowledge,
    DurationSummary TimeToMitigate,
    DurationSummary TimeToResolve,
    DetectionStats Detection);

/// <summary>
/// How the declared incidents (those no alert opened) were detected: <see cref="Detected"/> had an alert by now (its
/// first notification, moved or attached, is <see cref="Incident.FirstAlertAt"/>), <see cref="NotDetected"/> none;
/// <see cref="Time"/> runs from the impact's start to that first notification (SRE workbook ch. 5, detection time).
/// </summary>
public sealed record DetectionStats(int Declared, int Detected, int NotDetected, DurationSummary Time);

/// <summary>MTTA, time to mitigate and MTTR of the incidents opened in a window, measured from their opening; incidents
/// merged into another count as that one.</summary>
public static class IncidentStatistics
{
    public static IncidentStats Compute(string service, IEnumerable<Incident> incidents, DateTimeOffset from, DateTimeOffset to)
    {
        var inWindow = incidents.Where(i => i.OpenedAt >= from && i.OpenedAt <= to && i.MergedInto is null).ToList();
        TimeSpan? Since(Incident i, Stamp? s) => s is null ? null : s.At - i.OpenedAt;
        DurationSummary Summarise(Func<Incident, Stamp?> stamp) =>
            DurationSummary.Of(inWindow.Select(i => Since(i, stamp(i))).OfType<TimeSpan>());

        return new IncidentStats(
            service,
            from,
            to,
            inWindow.Count,
            inWindow.GroupBy(i => i.Severity).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            inWindow.Count(i => i.IsOpen),
            Summarise(i => i.Acknowledged),
            Summarise(i => i.Mitigated),
            Summarise(i => i.Resolved),
            Detection(inWindow));
    }

    /// <summary>The detection of the declared incidents among <paramref name="incidents"/>; an alert notified before the
    /// impact's start detects it at once (0).</summary>
    public static DetectionStats Detection(IEnumerable<Incident> incidents)
    {
        var declared = incidents.Where(i => i.Declared && i.ImpactStartedAt is not null).ToList();
        var detected = declared.Where(i => i.FirstAlertAt is not null).ToList();
        return new DetectionStats(declared.Count, detected.Count, declared.Count - detected.Count,
            DurationSummary.Of(detected.Select(i => i.FirstAlertAt!.Value - i.ImpactStartedAt!.Value is var t && t > TimeSpan.Zero ? t : TimeSpan.Zero)));
    }
}
