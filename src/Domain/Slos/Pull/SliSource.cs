namespace Sre.Domain.Slos.Pull;

/// <summary>
/// Where an SLO's SLI data comes from, as its status and the SLO list show it: <c>prometheus</c> (pulled from the named
/// data source: the end of the last slice asked for, how long ago that was in seconds, and the fault that stopped the
/// pull, if any) or <c>push</c> (slices sent to the API or the bus). A PromQL SLI whose data source does not exist yet
/// is <c>push</c> with <see cref="DataSource"/> and <see cref="Unresolved"/> saying why it is not pulled.
/// </summary>
public sealed record SliSource(string Kind, string? DataSource = null, DateTimeOffset? PulledThrough = null, double? AgeSeconds = null,
    PullFault? Fault = null, string? Unresolved = null)
{
    public static readonly SliSource Push = new("push");

    /// <summary>
    /// The source of <paramref name="slo"/> at <paramref name="at"/>, given the data source it is pulled from (null: pushed)
    /// or, when the data source it names cannot be pulled from, why.
    /// </summary>
    public static SliSource Of(Slo slo, string? pulledFrom, DateTimeOffset at, string? unresolved = null) => pulledFrom is null && slo.PullFault is null
        ? unresolved is null ? Push : new SliSource("push", slo.Definition.Sli.DataSource, Unresolved: unresolved)
        : new SliSource("prometheus", pulledFrom ?? slo.Definition.Sli.DataSource ?? "default", slo.PulledThrough,
            slo.PulledThrough is { } through ? (at - through).TotalSeconds : null, slo.PullFault);
}
