using Sre.Domain.Incidents;
using Sre.Domain.Toil;

namespace Sre.Host.Ui;

/// <summary>A service's response times over the window and the one before it (SRE workbook ch. 9: MTTA, time to mitigate, MTTR).</summary>
public sealed record ServiceResponse(string Service, IncidentStats Now, IncidentStats Before);

/// <summary>A team's toil: its share of working time in each bucket (the last one may be under way) against the 50% cap (SRE book ch. 5).</summary>
public sealed record TeamToilTrend(string Team, IReadOnlyList<ToilBucketRow> Buckets, double Cap)
{
    /// <summary>The last bucket that has ended, or the only one.</summary>
    public ToilBucketRow Latest(DateTimeOffset now) => Buckets.LastOrDefault(b => b.End <= now) ?? Buckets[^1];
}

/// <summary>The small pure pieces of the reliability overview.</summary>
public static class Overview
{
    /// <summary>Each service's statistics now and over the window before, from <see cref="IncidentStatistics.Compute"/>
    /// (what <c>GET /api/v1/services/{service}/incident-stats</c> answers), most incidents first.</summary>
    public static IReadOnlyList<ServiceResponse> Responses(IEnumerable<Incident> incidents, DateTimeOffset now, TimeSpan window) =>
        incidents.GroupBy(i => i.Service)
            .Select(g => new ServiceResponse(g.Key,
                IncidentStatistics.Compute(g.Key, g, now - window, now),
                IncidentStatistics.Compute(g.Key, g, now - window - window, now - window)))
            .OrderByDescending(r => r.Now.Incidents).ThenBy(r => r.Service, StringComparer.Ordinal)
            .ToList();

    /// <summary>The change from before to now as a signed percentage ("+25%", "−10%"); a dash when either is missing or before is 0.</summary>
    public static string Change(double? before, double? now) =>
        before is > 0 && now is { } n ? ((n - before.Value) / before.Value) is var c && c >= 0 ? "+" + SloText.Percent(c, 0) : "−" + SloText.Percent(-c, 0) : "–";

    private static readonly char[] Blocks = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

    /// <summary>Shares (0 to 1, and above) as a line of block characters, one a bucket; full height at the cap's double.</summary>
    public static string Sparkline(IEnumerable<double?> shares, double cap) => new(shares
        .Select(s => s is { } v ? Blocks[(int)Math.Clamp(Math.Round(v / (2 * cap) * (Blocks.Length - 1), MidpointRounding.AwayFromZero), 0, Blocks.Length - 1)] : ' ')
        .ToArray());
}
