using Sre.Domain.Time;

namespace Sre.Host.Ui.Slos;

/// <summary>
/// The time range of an SLO page's burn-rate chart: a preset back from now (<c>?range=6h</c>; the presets go from an
/// hour up to the SLO's window) or <c>?from=</c>/<c>?to=</c> as RFC 3339 instants; the default is a day (or the window,
/// when shorter).
/// </summary>
public sealed record SloRange(DateTimeOffset From, DateTimeOffset To, string? Preset)
{
    public const int Points = 121;

    public static IReadOnlyList<string> Presets(TimeSpan window) =>
        new[] { TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromDays(1), TimeSpan.FromDays(7) }
            .Where(p => p < window).Append(window).Select(PromDuration.Format).ToList();

    public static SloRange Of(IQueryCollection query, TimeSpan window, DateTimeOffset now)
    {
        if (Rfc3339.TryParse(query["from"], out var from) && from < now)
        {
            var to = Rfc3339.TryParse(query["to"], out var t) && t > from && t <= now ? t : now;
            return new SloRange(from, to, null);
        }
        if (!PromDuration.TryParse(query["range"], out var span) || span <= TimeSpan.Zero || span > window)
            span = window < TimeSpan.FromDays(1) ? window : TimeSpan.FromDays(1);
        return new SloRange(now - span, now, PromDuration.Format(span));
    }

    /// <summary>The instants of the chart, evenly spaced from the start to the end, both included.</summary>
    public IReadOnlyList<DateTimeOffset> Instants()
    {
        var step = (To - From) / (Points - 1);
        return Enumerable.Range(0, Points).Select(i => i == Points - 1 ? To : From + step * i).ToList();
    }
}
