using Sre.Domain.Time;

namespace Sre.Domain.Incidents;

public sealed record IncidentStats(
    string Service,
    DateTimeOffset From,
    DateTimeOffset To,
    int Incidents,
    IReadOnlyDictionary<string, int> BySeverity,
    int OpenNow,
    DurationSummary TimeToAcknowledge,
    DurationSummary TimeToMitigate,
    DurationSummary TimeToResolve);

/// <summary>MTTA, time to mitigate and MTTR of the incidents opened in a window, measured from their opening.</summary>
public static class IncidentStatistics
{
    public static IncidentStats Compute(string service, IEnumerable<Incident> incidents, DateTimeOffset from, DateTimeOffset to)
    {
        var inWindow = incidents.Where(i => i.OpenedAt >= from && i.OpenedAt <= to).ToList();
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
            Summarise(i => i.Resolved));
    }
}
