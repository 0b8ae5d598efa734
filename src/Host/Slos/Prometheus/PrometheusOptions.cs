using System.ComponentModel.DataAnnotations;

namespace Sre.Host.Slos.Prometheus;

/// <summary>
/// Configuration section "Prometheus": the default data source (its <see cref="PrometheusSource.Url"/> set turns the
/// pull on for every SLO whose SLI is PromQL), other sources by name (<c>Prometheus:Sources:{name}:Url</c>...), and how
/// slices are pulled.
/// </summary>
public sealed class PrometheusOptions : PrometheusSource, IValidatableObject
{
    /// <summary>The name an SLO gives the default source (or none).</summary>
    public const string DefaultSource = "default";

    /// <summary>Other data sources, by the name an SLO's <c>sli.dataSource</c> gives.</summary>
    public Dictionary<string, PrometheusSource> Sources { get; set; } = [];

    /// <summary>How often Prometheus scrapes the SLIs' targets; the default lag is two of them.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00"), Display(Name = "Prometheus:ScrapeInterval")]
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long after its end a slice is pulled, so that late scrapes are in; null: two scrape intervals.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00"), Display(Name = "Prometheus:Lag")]
    public TimeSpan? Lag { get; set; }

    /// <summary>How often every pulled SLO is brought up to date.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00"), Display(Name = "Prometheus:PullInterval")]
    public TimeSpan PullInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most <c>query_range</c> ranges (of up to <see cref="MaxPointsPerQuery"/> slices) one SLO takes in one pull; a longer catch-up goes on at the next.</summary>
    [Range(1, 1000), Display(Name = "Prometheus:MaxRangesPerPull")]
    public int MaxRangesPerPull { get; set; } = 8;

    /// <summary>
    /// The most slices (points) one <c>query_range</c> asks for: Prometheus's own limit, 11,000 points a series, or fewer
    /// for a Prometheus-compatible store with a lower one.
    /// </summary>
    [Range(1, Domain.Slos.Pull.SlicePlan.MaxPoints), Display(Name = "Prometheus:MaxPointsPerQuery")]
    public int MaxPointsPerQuery { get; set; } = Domain.Slos.Pull.SlicePlan.MaxPoints;

    public TimeSpan EffectiveLag => Lag ?? ScrapeInterval * 2;

    /// <summary>The slices of an SLI pulled from a source: the SLI's own length, else the source's, else the default source's, else 1 minute.</summary>
    public TimeSpan SliceLengthOf(Domain.Slos.SliSpec sli, PrometheusSource source) =>
        sli.SliceLength ?? source.SliceLength ?? SliceLength ?? TimeSpan.FromMinutes(1);

    /// <summary>
    /// Each named source's settings, checked as the default source's are, named by their key; no URL may carry a
    /// password (<c>http://user:secret@host</c>): URLs are logged, the password goes in <c>Password</c>.
    /// </summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (key, url) in Sources.Select(s => ($"Prometheus:Sources:{s.Key}:Url", s.Value.Url)).Prepend(("Prometheus:Url", Url)))
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
                yield return new ValidationResult(
                    $"The field {key} holds credentials: give them as {key[..^3]}Username and {key[..^3]}Password (or BearerToken), which are never logged.",
                    [key]);
        foreach (var (name, source) in Sources)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(source, new ValidationContext(source), results, validateAllProperties: true);
            foreach (var result in results)
                yield return new ValidationResult(
                    result.ErrorMessage?.Replace("Prometheus:", $"Prometheus:Sources:{name}:", StringComparison.Ordinal),
                    result.MemberNames.Select(m => $"Sources:{name}:{m}"));
        }
    }
}
