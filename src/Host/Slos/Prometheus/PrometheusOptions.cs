using System.ComponentModel.DataAnnotations;

namespace Sre.Host.Slos.Prometheus;

/// <summary>
/// Configuration section "Prometheus": the default data source (its <see cref="PrometheusSource.Url"/> set turns the
/// pull on for every SLO whose SLI is PromQL), other sources by name (<c>Prometheus:Sources:{name}:Url</c>...), and how
/// slices are pulled.
/// </summary>
public sealed class PrometheusOptions : PrometheusSource
{
    /// <summary>The name an SLO gives the default source (or none).</summary>
    public const string DefaultSource = "default";

    /// <summary>Other data sources, by the name an SLO's <c>sli.dataSource</c> gives.</summary>
    public Dictionary<string, PrometheusSource> Sources { get; set; } = [];

    /// <summary>The length of a pulled slice (Prometheus's <c>step</c> and the <c>{{.window}}</c> of the queries).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00"), Display(Name = "Prometheus:SliceLength")]
    public TimeSpan SliceLength { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often Prometheus scrapes the SLIs' targets; the default lag is two of them.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00"), Display(Name = "Prometheus:ScrapeInterval")]
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long after its end a slice is pulled, so that late scrapes are in; null: two scrape intervals.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00"), Display(Name = "Prometheus:Lag")]
    public TimeSpan? Lag { get; set; }

    /// <summary>How often every pulled SLO is brought up to date.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00"), Display(Name = "Prometheus:PullInterval")]
    public TimeSpan PullInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most <c>query_range</c> ranges (of up to 11,000 slices) one SLO takes in one pull; a longer catch-up goes on at the next.</summary>
    [Range(1, 1000), Display(Name = "Prometheus:MaxRangesPerPull")]
    public int MaxRangesPerPull { get; set; } = 8;

    public TimeSpan EffectiveLag => Lag ?? ScrapeInterval * 2;

    /// <summary>
    /// The name of the source an SLI is pulled from, or null when it is not pulled (not PromQL, or no such source), from
    /// configuration alone: the service resolves through <see cref="DataSourceCatalog"/>, which adds the imported DataSources.
    /// </summary>
    public string? Pulls(Domain.Slos.SliSpec sli) =>
        sli.IsPromQl && SourceNamed(sli.DataSource) is not null ? sli.DataSource ?? DefaultSource : null;

    /// <summary>The source an SLI names (null: the default), or null when there is none by that name or no default.</summary>
    public PrometheusSource? SourceNamed(string? name) =>
        name is null or DefaultSource ? (Url is null ? null : this) : Sources.GetValueOrDefault(name) is { Url: not null } source ? source : null;
}
