using System.Text.Json.Nodes;
using Marten;
using Sre.Domain.Slos;
using Sre.Domain.Slos.OpenSlo;
using Sre.Domain.Slos.Pull;
using Sre.Host.Slos.Prometheus;

namespace Sre.Host.Slos.OpenSlo;

/// <summary>
/// The OpenSLO documents the store holds (<see cref="OpenSloSource"/>, as imported), with what they refer to, and the
/// SLOs and data sources the service runs: what an import resolves references against, and what an export writes. An
/// imported document is exported as it came while it still reads to what runs (an SLO changed since through the JSON
/// API is written from its definition instead, <see cref="OpenSloWriter"/>).
/// </summary>
public sealed class OpenSloCatalog
{
    private readonly Dictionary<(string Kind, string Name), OpenSloSource> _sources;
    private readonly Dictionary<(string Kind, string Name), OpenSloDocument?> _parsed = [];
    private readonly DataSourceCatalog _dataSources;
    private readonly HashSet<string> _runAsObjectives;

    private OpenSloCatalog(IEnumerable<OpenSloSource> sources, DataSourceCatalog dataSources, IEnumerable<string> objectiveStreams)
    {
        _sources = sources.ToDictionary(s => (s.Kind, s.Name));
        _dataSources = dataSources;
        _runAsObjectives = objectiveStreams.Select(n => n[..n.IndexOf('.')]).ToHashSet(StringComparer.Ordinal);
    }

    public static async Task<OpenSloCatalog> Load(IQuerySession session, DataSourceCatalog dataSources, CancellationToken ct) =>
        new(await session.Query<OpenSloSource>().ToListAsync(ct), dataSources,
            // Only an objective's SLO has a dot in its name (OpenSLO names are DNS labels).
            await session.Query<Slo>().Where(s => s.Name.Contains(".")).Select(s => s.Name).ToListAsync(ct));

    /// <summary>What an import resolves against once its own documents are searched: the stored documents, the data sources,
    /// and the SLOs the store runs as objectives.</summary>
    public OpenSloReader.Lookup Lookup => new(Document, name => _dataSources.Named(name) is not null ? OpenSloReader.Prometheus : null,
        _runAsObjectives.Contains);

    /// <summary>The stored document of a kind and name, read; null when there is none.</summary>
    public OpenSloDocument? Document(string kind, string name)
    {
        if (_parsed.TryGetValue((kind, name), out var parsed)) return parsed;
        var document = _sources.TryGetValue((kind, name), out var source)
            ? OpenSloReader.Document($"stored {kind} {name}", JsonNode.Parse(source.Content), [])
            : null;
        return _parsed[(kind, name)] = document;
    }

    /// <summary>Every stored document of a kind, by name.</summary>
    public IEnumerable<OpenSloDocument> All(string kind) =>
        _sources.Keys.Where(k => k.Kind == kind).OrderBy(k => k.Name, StringComparer.Ordinal).Select(k => Document(k.Kind, k.Name)).OfType<OpenSloDocument>();

    /// <summary>
    /// The documents a document names, each with the path of the field that names it: an SLO its SLIs, alert policies
    /// and service; an SLI (or an SLO's inline one) its DataSources; a policy (or an SLO's inline one) its condition and targets.
    /// </summary>
    public static IEnumerable<(string Kind, string Name, string Path)> References(OpenSloDocument document)
    {
        IEnumerable<(string, string, string)> Metrics(IndicatorSpec? sli, string at) =>
            new[] { ("good", sli?.RatioMetric?.Good), ("bad", sli?.RatioMetric?.Bad), ("total", sli?.RatioMetric?.Total), ("raw", sli?.RatioMetric?.Raw) }
                .Select(m => (Path: $"{at}.ratioMetric.{m.Item1}", Ref: m.Item2?.MetricSource?.MetricSourceRef))
                .Append((Path: $"{at}.thresholdMetric", Ref: sli?.ThresholdMetric?.MetricSource?.MetricSourceRef))
                .Where(m => m.Ref is not null).Select(m => (OpenSloKinds.DataSource, m.Ref!, $"{m.Path}.metricSource.metricSourceRef"));
        IEnumerable<(string, string, string)> Policy(AlertPolicySpec? p, string at) =>
            (p?.Conditions ?? []).Select((c, i) => (Ref: c?.ConditionRef, Path: $"{at}.conditions[{i}].conditionRef")).Where(c => c.Ref is not null)
                .Select(c => (OpenSloKinds.AlertCondition, c.Ref!, c.Path))
                .Concat((p?.NotificationTargets ?? []).Select((t, i) => (Ref: t?.TargetRef, Path: $"{at}.notificationTargets[{i}].targetRef"))
                    .Where(t => t.Ref is not null).Select(t => (OpenSloKinds.AlertNotificationTarget, t.Ref!, t.Path)));
        return document.Spec switch
        {
            SloSpec s => (s.IndicatorRef is { } r ? [(OpenSloKinds.Sli, r, "spec.indicatorRef")] : Array.Empty<(string, string, string)>())
                .Concat((s.Objectives ?? []).Select((o, i) => (Ref: o?.IndicatorRef, Path: $"spec.objectives[{i}].indicatorRef"))
                    .Where(o => o.Ref is not null).Select(o => (OpenSloKinds.Sli, o.Ref!, o.Path)))
                .Concat((s.AlertPolicies ?? []).Select((a, i) => (Ref: a?.AlertPolicyRef, Path: $"spec.alertPolicies[{i}].alertPolicyRef"))
                    .Where(a => a.Ref is not null).Select(a => (OpenSloKinds.AlertPolicy, a.Ref!, a.Path)))
                .Concat((s.AlertPolicies ?? []).SelectMany((a, i) => Policy(a?.Spec, $"spec.alertPolicies[{i}].spec")))
                .Concat(Metrics(s.Indicator?.Spec, "spec.indicator.spec"))
                .Concat((s.Objectives ?? []).SelectMany((o, i) => Metrics(o?.Indicator?.Spec, $"spec.objectives[{i}].indicator.spec")))
                .Concat(s.Service is { } service ? [(OpenSloKinds.Service, service, "spec.service")] : []),
            IndicatorSpec sli => Metrics(sli, "spec"),
            AlertPolicySpec policy => Policy(policy, "spec"),
            _ => [],
        };
    }

    /// <summary>
    /// Errors for each reference of <paramref name="document"/> that resolves nowhere: not in the request, the store or (a
    /// DataSource) configuration. A Service is named, not required: <c>spec.service</c> may name a service with no document.
    /// </summary>
    public static void Unresolved(OpenSloDocument document, Func<string, string, OpenSloDocument?> find, OpenSloReader.Lookup lookup,
        Dictionary<string, string[]> errors)
    {
        foreach (var (kind, name, path) in References(document))
            if (kind != OpenSloKinds.Service && find(kind, name) is null && !(kind == OpenSloKinds.DataSource && lookup.SourceType(name) is not null))
                errors.TryAdd($"{document.Path}.{path}",
                    [$"{document.Label}: no {kind} named '{name}' in this request, the store{(kind == OpenSloKinds.DataSource ? " or configuration" : "")}."]);
    }

    /// <summary>The document and every document it names, directly or not, found by <paramref name="find"/>, each once.</summary>
    public static List<OpenSloDocument> Closure(OpenSloDocument root, Func<string, string, OpenSloDocument?> find)
    {
        var seen = new HashSet<(string, string)> { (root.Kind, root.Name) };
        var found = new List<OpenSloDocument> { root };
        for (var i = 0; i < found.Count; i++)
            foreach (var (kind, name, _) in References(found[i]))
                if (seen.Add((kind, name)) && find(kind, name) is { } next) found.Add(next);
        return found;
    }

    /// <summary>The SLO streams of an OpenSLO SLO: the SLO's own name, or its objectives' <c>{slo}.{objective}</c>.</summary>
    public static async Task<IReadOnlyList<Slo>> Streams(IQuerySession session, string slo, CancellationToken ct)
    {
        // An OpenSLO SLO's name is a DNS label: anything else (a slash, a NUL a database refuses) names no objectives.
        if (!SloRules.IsDnsLabel(slo)) return [];
        var prefix = slo + ".";
        return (await session.Query<Slo>().Where(s => s.Name == slo || s.Name.StartsWith(prefix)).ToListAsync(ct))
            .OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The live (not retired) SLO streams of an OpenSLO SLO (<see cref="Streams"/>).</summary>
    public static async Task<List<Slo>> Running(IQuerySession session, string slo, CancellationToken ct) =>
        (await Streams(session, slo, ct)).Where(s => !s.IsRetired).ToList();

    /// <summary>The live objectives (<c>{slo}.{objective}</c>) of an OpenSLO SLO run as several; empty otherwise.</summary>
    public static async Task<List<Slo>> Objectives(IQuerySession session, string slo, CancellationToken ct) =>
        (await Running(session, slo, ct)).Where(s => s.Definition.Objective is not null).ToList();

    /// <summary>The stored SLO document of <paramref name="slo"/> while it still reads to the streams that run; null otherwise.</summary>
    private OpenSloDocument? RunningDocument(string slo, IReadOnlyList<Slo> live) =>
        Document(OpenSloKinds.Slo, slo) is { } stored && Runs(stored, live) ? stored : null;

    /// <summary>True when the stored SLO document still reads to the definitions the live streams run, and to no other.</summary>
    public bool Runs(OpenSloDocument slo, IReadOnlyList<Slo> streams)
    {
        var definitions = OpenSloReader.Objectives(slo, Document, Lookup, []);
        var live = streams.Where(s => !s.IsRetired).ToList();
        return definitions.Count == live.Count && definitions.All(d => live.Any(s => s.Name == d.Name && s.Definition.SameAs(d)));
    }

    /// <summary>True when the stored DataSource document of type Prometheus still reads to the data source in force.</summary>
    public static bool Runs(OpenSloDocument source, DataSource? running) =>
        OpenSloReader.DataSource(source, []) is not { } definition || (running is not null && running.Definition.SameAs(definition));

    /// <summary>
    /// The YAML of an SLO (by its OpenSLO name or an objective's <c>{slo}.{objective}</c>) with every document it refers to,
    /// what is referred to first; null when there is no such SLO.
    /// </summary>
    public async Task<List<JsonObject>?> ExportSlo(IQuerySession session, string name, CancellationToken ct)
    {
        var stream = await session.LoadAsync<Slo>(SloIds.For(name), ct);
        var slo = stream?.Definition.Objective?.Slo ?? name;
        var live = await Running(session, slo, ct);
        if (live.Count == 0) return null;
        return RunningDocument(slo, live) is { } stored
            ? await Written(session, Closure(stored, Document), ct)
            : [OpenSloWriter.Document(live.Select(s => s.Definition).ToList())];
    }

    /// <summary>
    /// The document an export gives for a kind and name, or null: the stored one while it still reads to what runs,
    /// otherwise an SLO or data source that runs written from its definition. An import compares with this, so that
    /// importing what an export gave stores nothing new.
    /// </summary>
    public async Task<JsonObject?> Exported(IQuerySession session, string kind, string name, CancellationToken ct)
    {
        var stored = Document(kind, name);
        if (kind == OpenSloKinds.DataSource)
        {
            var running = await session.LoadAsync<DataSource>(DataSourceIds.For(name), ct);
            if (stored is not null && Runs(stored, running)) return stored.Content;
            return running is not null ? OpenSloWriter.Document(running.Definition) : stored?.Content;
        }
        if (kind != OpenSloKinds.Slo) return stored?.Content;
        var live = await Running(session, name, ct);
        if (live.Count == 0) return stored?.Content;
        return RunningDocument(name, live)?.Content ?? OpenSloWriter.Document(live.Select(s => s.Definition).ToList());
    }

    /// <summary>Everything: every stored document that still reads to what runs, and what runs written from its definition otherwise.</summary>
    public async Task<List<JsonObject>> ExportAll(IQuerySession session, CancellationToken ct)
    {
        var slos = (await session.Query<Slo>().Where(s => s.Retired == null).ToListAsync(ct))
            .GroupBy(s => s.Definition.Objective?.Slo ?? s.Name).ToDictionary(g => g.Key, g => g.OrderBy(s => s.Name, StringComparer.Ordinal).ToList());
        var documents = new List<OpenSloDocument>();
        var written = new List<JsonObject>();
        foreach (var kind in OpenSloKinds.All.Where(k => k != OpenSloKinds.Slo)) documents.AddRange(All(kind));
        foreach (var (name, live) in slos.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (RunningDocument(name, live) is { } stored) documents.Add(stored);
            else written.Add(OpenSloWriter.Document(live.Select(s => s.Definition).ToList()));
        }
        var result = await Written(session, documents, ct);
        // Data sources imported before their documents were kept, and those of configuration, are written from what runs.
        foreach (var entry in _dataSources.All.Where(e => !_sources.ContainsKey((OpenSloKinds.DataSource, e.Name)) && e.Imported is not null))
            result.Insert(0, OpenSloWriter.Document(entry.Imported!.Definition));
        result.AddRange(written);
        return result;
    }

    /// <summary>The documents in export order (<see cref="OpenSloKinds.All"/>), a DataSource that no longer reads to what runs written from what does.</summary>
    private async Task<List<JsonObject>> Written(IQuerySession session, IEnumerable<OpenSloDocument> documents, CancellationToken ct)
    {
        var result = new List<JsonObject>();
        foreach (var d in documents.OrderBy(d => Array.IndexOf(OpenSloKinds.All, d.Kind)).ThenBy(d => d.Name, StringComparer.Ordinal))
        {
            if (d.Kind == OpenSloKinds.DataSource && OpenSloReader.DataSource(d, []) is not null)
            {
                var running = await session.LoadAsync<DataSource>(DataSourceIds.For(d.Name), ct);
                if (!Runs(d, running)) { if (running is not null) result.Add(OpenSloWriter.Document(running.Definition)); continue; }
            }
            result.Add(d.Content);
        }
        return result;
    }
}
