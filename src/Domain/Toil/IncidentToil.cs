using Sre.Domain.Incidents;

namespace Sre.Domain.Toil;

/// <summary>An incident's response is production-interrupt toil: from its acknowledgement to its resolution.</summary>
public static class IncidentToil
{
    public const string TaskKey = "incident-response";

    /// <summary>
    /// The span worked for the resolution that ends <paramref name="events"/>: from the acknowledgement since the
    /// last reopening to that resolution; null when the incident was resolved without being acknowledged.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To)? Span(IEnumerable<object> events)
    {
        DateTimeOffset? acknowledged = null;
        (DateTimeOffset, DateTimeOffset)? span = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case IncidentAcknowledged a:
                    acknowledged = a.At;
                    break;
                case IncidentReopened:
                    acknowledged = null;
                    span = null;
                    break;
                case IncidentResolved r:
                    span = acknowledged is { } from && r.At > from ? (from, r.At) : null;
                    break;
            }
        }
        return span;
    }

    /// <summary>The team that owns the service: the incident's team label, else the configured owner, else none.</summary>
    public static string? Owner(Incident incident, IReadOnlyDictionary<string, string> owners, string teamLabel) =>
        incident.Labels.TryGetValue(teamLabel, out var team) && !string.IsNullOrWhiteSpace(team) ? team
        : owners.TryGetValue(incident.Service, out var owner) ? owner
        : null;

    /// <summary>Rounded up: a minute started is a minute of someone's attention.</summary>
    public static int Minutes((DateTimeOffset From, DateTimeOffset To) span) =>
        Math.Min(ToilRules.MaxMinutes, (int)Math.Ceiling((span.To - span.From).TotalMinutes));
}
