namespace Sre.Domain.Slos.Pull;

/// <summary>
/// Where an SLO's SLI data comes from, as its status and the SLO list show it: <c>prometheus</c> (pulled from the named
/// data source: the end of the last slice asked for, how long ago that was in seconds, the fault that stopped the
/// pull, if any, the spans Prometheus no longer held (<see cref="Gaps"/>), and in the status how much of the period's
/// pulled time had no data) or <c>push</c> (slices sent to the API or the bus). A PromQL SLI whose data source does not
/// exist yet is <c>push</c> with <see cref="DataSource"/> and <see cref="Unresolved"/> saying why it is not pulled.
/// </summary>
public sealed record SliSource(string Kind, string? DataSource = null, DateTimeOffset? PulledThrough = null, double? AgeSeconds = null,
    PullFault? Fault = null, string? Unresolved = null, SliNoData? NoData = null, IReadOnlyList<SliGap>? Gaps = null)
{
    public static readonly SliSource Push = new("push");

    /// <summary>
    /// The source of <paramref name="slo"/> at <paramref name="at"/>, given the data source it is pulled from (null: pushed)
    /// or, when the data source it names cannot be pulled from, why.
    /// </summary>
    public static SliSource Of(Slo slo, string? pulledFrom, DateTimeOffset at, string? unresolved = null) => pulledFrom is null && slo.PullFault is null
        ? unresolved is null ? Push : new SliSource("push", slo.Definition.Sli.DataSource, Unresolved: unresolved)
        : new SliSource("prometheus", pulledFrom ?? slo.Definition.Sli.DataSource ?? "default", slo.PulledThrough,
            slo.PulledThrough is { } through ? (at - through).TotalSeconds : null, slo.PullFault, Gaps: slo.Gaps);

    /// <summary>
    /// The span of the period whose slices were asked of Prometheus by <paramref name="at"/>: from the later of the period's
    /// start and where the SLO counts from, to the earlier of the last slice pulled and <paramref name="at"/>; null when
    /// nothing of the period was pulled.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To)? PulledSpan(Slo slo, DateTimeOffset periodStart, DateTimeOffset at)
    {
        if (slo.PulledThrough is not { } through) return null;
        var from = periodStart > slo.CountsFrom ? periodStart : slo.CountsFrom;
        var to = through < at ? through : at;
        return to > from ? (from, to) : null;
    }
}

/// <summary>
/// How much of a pulled SLO's period had no data: of the span asked of Prometheus so far in the period, the seconds no
/// stored slice covers (no series, 0 requests, a scrape gap, a retention gap) and their share of the span (0 to 1).
/// Such time counts neither for nor against the budget.
/// </summary>
public sealed record SliNoData(double Seconds, double Ratio)
{
    /// <summary>From the span's length and the seconds its stored slices cover.</summary>
    public static SliNoData Of(TimeSpan span, double coveredSeconds)
    {
        var missing = Math.Max(0, span.TotalSeconds - coveredSeconds);
        return new SliNoData(missing, span > TimeSpan.Zero ? missing / span.TotalSeconds : 0);
    }
}
