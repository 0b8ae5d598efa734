using System.Text;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Sre.Domain.Slos;
using Sre.Domain.Slos.OpenSlo;
using Sre.Domain.Slos.Pull;
using Sre.Host.Operations;
using Sre.Host.Slos.OpenSlo;
using Sre.Host.Slos.Prometheus;
using Sre.Projections.Caching;
using Wolverine;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>What an import did (or, on a dry run, would do) to one document of the request, or to a stored SLO it changed.</summary>
/// <param name="Kind">The document's kind (SLO, SLI, DataSource, AlertPolicy, AlertCondition, AlertNotificationTarget, Service).</param>
/// <param name="Name">Its name.</param>
/// <param name="Action"><c>create</c>, <c>change</c> or <c>unchanged</c>.</param>
/// <param name="Created">True when it was not stored.</param>
/// <param name="Changes">How many events it appended (or would): the document kept, and what runs of it.</param>
/// <param name="Events">Their types, e.g. <c>OpenSloDocumentStored</c>, <c>SloDefined</c>, <c>SloTargetChanged</c>, <c>DataSourceRedefined</c>.</param>
/// <param name="Objectives">For an SLO of several objectives: each objective's SLO (<c>{slo}.{objective}</c>), and
/// those no longer in it (action <c>retire</c>).</param>
/// <param name="Via">For a stored SLO the request does not hold: the document of the request it refers to that changed it.</param>
/// <param name="Fields">For a changed document: the fields that differ from the stored one (<c>spec.objectives[1].targetPercent</c>).</param>
/// <param name="Warnings">What is valid but may not be what was meant (a calendar window of <c>1m</c> is one minute).</param>
public sealed record OpenSloImportEntry(
    string Kind, string Name, string Action, bool Created, int Changes, IReadOnlyList<string> Events,
    IReadOnlyList<OpenSloImportEntry>? Objectives = null, string? Via = null, IReadOnlyList<string>? Fields = null,
    IReadOnlyList<string>? Warnings = null)
{
    public static OpenSloImportEntry Of(string kind, string name, bool created, IReadOnlyList<string> events,
        IReadOnlyList<OpenSloImportEntry>? objectives = null, string? via = null, IReadOnlyList<string>? fields = null)
    {
        var changes = events.Count + (objectives?.Sum(o => o.Changes) ?? 0);
        return new(kind, name, changes == 0 ? "unchanged" : created ? "create" : "change", created, changes, events, objectives, via,
            fields is { Count: > 0 } ? fields : null);
    }
}

/// <summary>
/// Imports OpenSLO v1 documents of every kind (YAML, <c>---</c> between documents, or a JSON array or YAML list of them, in any
/// order) in one transaction. Each document is checked as the specification and its validator (go-sdk) have it and its
/// references resolved in the request, then the store; any error answers 400 naming the document (index, kind and name)
/// and the field, and nothing is stored. Each document is kept as it came (for export); each objective of an SLO becomes
/// an SLO the service runs (<see cref="OpenSloReader.Objectives"/>), an SLO that refers to a changed document of the
/// request is redefined too, and an objective no longer in its SLO is retired. A document equal to what is stored appends
/// nothing. <c>?dryRun=true</c> checks and answers the same entries, storing nothing. Actor: <c>?by=</c>.
/// Not on the aggregate workflow: the streams it writes are named by the documents, known only once they are read.
/// </summary>
public static class ImportOpenSloEndpoint
{
    [WolverinePost("/api/v1/slos/openslo")]
    [Authorize(Policies.Admin)]
    public static async Task<IResult> Post(string? by, bool? dryRun, IDocumentSession session, TimeProvider clock, IMessageBus bus,
        ProjectionCache cache, IOptions<PrometheusOptions> prometheus, HttpContext http)
    {
        var ct = http.RequestAborted;
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var errors = new Dictionary<string, string[]>();
        var documents = OpenSloReader.Parse(await reader.ReadToEndAsync(ct), errors);
        var index = OpenSloReader.Index(documents, errors);
        if (errors.Count > 0) return Problems.Invalid(errors);

        var catalog = await OpenSloCatalog.Load(session, await DataSourceCatalog.Load(session, cache, prometheus.Value, ct), ct);
        OpenSloDocument? Find(string kind, string name) => index.GetValueOrDefault((kind, name)) ?? catalog.Document(kind, name);

        foreach (var document in documents) OpenSloCatalog.Unresolved(document, Find, catalog.Lookup, errors);

        // The SLOs to run: those of the request, and the stored ones that refer (through any chain) to a document of it.
        var slos = documents.Where(d => d.Kind == OpenSloKinds.Slo).Select(d => (Document: d, Via: (string?)null)).ToList();
        foreach (var stored in catalog.All(OpenSloKinds.Slo).Where(s => !index.ContainsKey((s.Kind, s.Name))))
            // A Service is named, not read: a changed Service document changes no SLO.
            if (OpenSloCatalog.Closure(stored, Find).Skip(1).FirstOrDefault(r => r.Kind != OpenSloKinds.Service && index.ContainsKey((r.Kind, r.Name))) is { } changed)
                slos.Add((stored, $"{changed.Kind} {changed.Name}"));
        var definitions = slos.Select(s => (s.Document, s.Via, Objectives: OpenSloReader.Objectives(s.Document, Find, catalog.Lookup, errors))).ToList();
        var sources = documents.Where(d => d.Kind == OpenSloKinds.DataSource)
            .Select(d => OpenSloReader.DataSource(d, errors)).OfType<DataSourceDefinition>().ToList();
        if (errors.Count > 0) return Problems.Invalid(errors);

        var (actor, now) = (Actor.Of(http, by), clock.GetUtcNow());
        var appends = new List<Action>();
        var evaluate = new List<(Guid Id, SloDefinition Definition, bool Changed)>();

        // Each document of the request is kept as it came, unless equal to what an export gives for it (the stored
        // document while it reads to what runs, else what runs written from its definition).
        var kept = new Dictionary<(string Kind, string Name), (bool Created, List<string> Events, List<string> Fields)>();
        foreach (var document in documents)
        {
            var stream = await session.Events.FetchForWriting<OpenSloSource>(OpenSloSource.IdFor(document.Kind, document.Name), ct);
            var before = await catalog.Exported(session, document.Kind, document.Name, ct);
            var same = JsonNode.DeepEquals(before, document.Content);
            var content = document.Content.ToJsonString();
            if (!same) appends.Add(() => stream.AppendOne(new OpenSloDocumentStored(stream.Id, document.Kind, document.Name, content, now, actor)));
            kept[(document.Kind, document.Name)] = (stream.Aggregate is null, same ? [] : [nameof(OpenSloDocumentStored)],
                before is null ? [] : OpenSloDiff.Fields(before, document.Content));
        }

        var entries = new List<OpenSloImportEntry>();
        foreach (var (document, via, objectives) in definitions)
        {
            var ran = new List<OpenSloImportEntry>();
            foreach (var definition in objectives)
            {
                var stream = await session.Events.FetchForWriting<Slo>(SloIds.For(definition.Name), ct);
                var decision = SloDecisions.Upsert(stream.Aggregate, definition, actor, now);
                if (decision.Refusal is { } refusal) return Problems.Conflict(refusal.Reason);
                appends.Add(() => stream.AppendMany(decision.Events));
                evaluate.Add((stream.Id, definition, decision.Events.Count > 0));
                ran.Add(OpenSloImportEntry.Of(OpenSloKinds.Slo, definition.Name, stream.Aggregate is null, decision.Events.Select(e => e.GetType().Name).ToList()));
            }
            // An objective no longer in its SLO (or the SLO's own stream, once it has several objectives) is retired.
            var names = objectives.Select(o => o.Name).ToHashSet();
            foreach (var old in await OpenSloCatalog.Running(session, document.Name, ct))
            {
                if (names.Contains(old.Name)) continue;
                var stream = await session.Events.FetchForWriting<Slo>(old.Id, ct);
                appends.Add(() => stream.AppendOne(SloDecisions.Retire(actor, now)));
                ran.Add(new OpenSloImportEntry(OpenSloKinds.Slo, old.Name, "retire", false, 1, [nameof(SloRetired)]));
            }
            var (stored, events, fields) = kept.Remove((document.Kind, document.Name), out var k) ? k : (true, [], []);
            var created = stored && ran.All(r => r.Created || r.Action == "retire");
            entries.Add(ran is [{ } single] && single.Name == document.Name
                ? OpenSloImportEntry.Of(document.Kind, document.Name, created, [.. events, .. single.Events], via: via, fields: fields)
                : OpenSloImportEntry.Of(document.Kind, document.Name, created, events, ran, via, fields));
        }

        foreach (var definition in sources)
        {
            var stream = await session.Events.FetchForWriting<DataSource>(DataSourceIds.For(definition.Name), ct);
            var events = DataSourceDecisions.Upsert(stream.Aggregate, definition, actor, now);
            appends.Add(() => stream.AppendMany(events));
            var (unstored, stored, fields) = kept.Remove((OpenSloKinds.DataSource, definition.Name), out var k) ? k : (true, [], []);
            entries.Add(OpenSloImportEntry.Of(OpenSloKinds.DataSource, definition.Name, unstored && stream.Aggregate is null,
                [.. stored, .. events.Select(e => e.GetType().Name)], fields: fields));
        }
        entries.AddRange(kept.Select(k => OpenSloImportEntry.Of(k.Key.Kind, k.Key.Name, k.Value.Created, k.Value.Events, fields: k.Value.Fields)));
        entries = entries.Select(e => index.GetValueOrDefault((e.Kind, e.Name)) is { } d && OpenSloRules.Warnings(d) is { Count: > 0 } warnings
            ? e with { Warnings = warnings } : e).ToList();
        if (dryRun == true) return Results.Ok(entries);

        // Appended once every document is allowed, so a refusal leaves nothing for Wolverine to commit.
        foreach (var append in appends) append();
        // Evaluated (and pulled, when the definition changed) once the definitions commit: the bus is enrolled in the endpoint's transaction.
        await bus.EvaluateOnCommit(evaluate.Select(e => e.Id));
        await bus.PullOnCommit(evaluate.Where(e => e.Changed).Select(e => (e.Id, e.Definition)));
        return SloAnswer.Stored([], entries);
    }
}
