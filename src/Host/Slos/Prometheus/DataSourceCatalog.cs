using Marten;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Pull;
using Sre.Projections.Caching;

namespace Sre.Host.Slos.Prometheus;

/// <summary>
/// Every Prometheus data source the service knows, by name: those of configuration (origin <c>configuration</c>: the
/// section "Prometheus" is <c>default</c>, <c>Prometheus:Sources:{name}</c> the others) and the imported OpenSLO DataSource
/// documents (origin <c>openslo</c>). A name is resolved from configuration first: a configured URL wins, and an imported
/// document of that name is kept but not used. An imported source takes its URL, headers and query timeout from its
/// document and its secrets from configuration only (<see cref="DataSourceRules.ConfigurationKey"/>), whose headers win too;
/// while the secret its document references is not configured, it is not pulled (<see cref="Entry.MissingSecret"/>).
/// </summary>
public sealed class DataSourceCatalog
{
    public const string Configuration = "configuration";
    public const string OpenSlo = "openslo";

    /// <summary>A source as the puller uses it (with its secrets: never answered), and the document it came from, if any.</summary>
    public sealed record Entry(string Name, string Origin, PrometheusSource Source, DataSource? Imported, DataSourceAuth Auth, string? MissingSecret);

    private readonly Dictionary<string, Entry> _entries = [];

    public DataSourceCatalog(PrometheusOptions options, IReadOnlyList<DataSource> imported)
    {
        var documents = imported.ToDictionary(d => d.Name);
        if (options.Url is not null) Add(PrometheusOptions.DefaultSource, options);
        foreach (var (name, source) in options.Sources)
            if (source.Url is not null && name != PrometheusOptions.DefaultSource) Add(name, source);
        foreach (var document in imported.Where(d => !_entries.ContainsKey(d.Name))) _entries[document.Name] = Merge(document, options);

        void Add(string name, PrometheusSource source) =>
            _entries[name] = new Entry(name, Configuration, source, documents.GetValueOrDefault(name), AuthOf(source), null);
    }

    /// <summary>Every source, by name.</summary>
    public IEnumerable<Entry> All => _entries.Values.OrderBy(e => e.Name, StringComparer.Ordinal);

    public bool IsEmpty => _entries.Count == 0;

    public Entry? Named(string? name) => _entries.GetValueOrDefault(name ?? PrometheusOptions.DefaultSource);

    /// <summary>The source an SLI names (null: the default) when it can be pulled from: it exists and has its secret.</summary>
    public PrometheusSource? SourceNamed(string? name) => Named(name) is { MissingSecret: null } entry ? entry.Source : null;

    /// <summary>The name of the source an SLI is pulled from, or null when it is not pulled (not PromQL, or no such source yet).</summary>
    public string? Pulls(SliSpec sli) =>
        sli.IsPromQl && SourceNamed(sli.DataSource) is not null ? sli.DataSource ?? PrometheusOptions.DefaultSource : null;

    /// <summary>Why a PromQL SLI that names a data source is not pulled, for its status; null when it is, or names none.</summary>
    public string? Unresolved(SliSpec sli) => !sli.IsPromQl || sli.DataSource is not { } name || Pulls(sli) is not null ? null
        : Named(name) is { MissingSecret: { } key }
            ? $"The data source '{name}' needs its secret in configuration {key}: not pulled until it is there."
            : $"No data source named '{name}' (configuration {DataSourceRules.ConfigurationKey(name, "Url")}, or an OpenSLO DataSource): not pulled until there is one.";

    /// <summary>
    /// The catalog now: configuration, and the imported DataSource documents through the projection cache (dropped by
    /// every commit of a DataSource stream, in this process and, through NOTIFY, the others), so that the puller, pushes
    /// and the SLO status read them at no cost between imports.
    /// </summary>
    public static async Task<DataSourceCatalog> Load(IQuerySession session, ProjectionCache cache, PrometheusOptions options, CancellationToken ct)
    {
        var imported = await cache.GetOrLoad<IReadOnlyList<DataSource>>(new CacheKey("datasources", ""), [CacheTags.DataSources],
            async () => await session.Query<DataSource>().ToListAsync(ct));
        return new DataSourceCatalog(options, imported ?? []);
    }

    private static Entry Merge(DataSource document, PrometheusOptions options)
    {
        var d = document.Definition;
        var configured = d.Name == PrometheusOptions.DefaultSource ? options : options.Sources.GetValueOrDefault(d.Name);
        var headers = new Dictionary<string, string>(d.Headers, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in configured?.Headers ?? []) headers[name] = value;
        var source = new PrometheusSource
        {
            Url = d.Url,
            Headers = headers,
            // The HTTP client waits Prometheus:QueryTimeout (and a little) for an answer: a longer timeout would be cut there.
            QueryTimeout = d.QueryTimeout is { } timeout && timeout < options.QueryTimeout ? timeout : options.QueryTimeout,
            BearerToken = d.Auth == DataSourceAuth.Bearer ? configured?.BearerToken : null,
            Username = d.Auth == DataSourceAuth.Basic ? configured?.Username ?? d.Username : null,
            Password = d.Auth == DataSourceAuth.Basic ? configured?.Password : null,
            // How its slices are cut and how far back it holds data are the service's settings for that name.
            SliceLength = configured?.SliceLength,
            Retention = configured?.Retention,
        };
        string? missing = d.Auth switch
        {
            DataSourceAuth.Bearer when string.IsNullOrEmpty(source.BearerToken) => DataSourceRules.ConfigurationKey(d.Name, "BearerToken"),
            DataSourceAuth.Basic when string.IsNullOrEmpty(source.Username) => DataSourceRules.ConfigurationKey(d.Name, "Username"),
            DataSourceAuth.Basic when string.IsNullOrEmpty(source.Password) => DataSourceRules.ConfigurationKey(d.Name, "Password"),
            _ => null,
        };
        return new Entry(d.Name, OpenSlo, source, document, d.Auth, missing);
    }

    private static DataSourceAuth AuthOf(PrometheusSource source) =>
        !string.IsNullOrEmpty(source.BearerToken) ? DataSourceAuth.Bearer
        : !string.IsNullOrEmpty(source.Username) ? DataSourceAuth.Basic
        : DataSourceAuth.None;
}
