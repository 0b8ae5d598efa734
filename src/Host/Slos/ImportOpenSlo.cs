using System.Text;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Pull;
using Sre.Host.Operations;
using Sre.Host.Slos.OpenSlo;
using Sre.Host.Slos.Prometheus;
using Wolverine;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>
/// Creates or updates SLOs and Prometheus data sources (OpenSLO <c>DataSource</c>) from OpenSLO v1 YAML (one or many
/// documents, in any order), all in one transaction: any error answers 400 naming the document and field, and nothing is
/// stored; a document equal to what is stored appends nothing. Answers each document's name, whether it was created and
/// how many changes it recorded (a data source's entry has <c>kind: DataSource</c>). Actor: <c>?by=</c>.
/// Not on the aggregate workflow: the SLO streams it writes are named by the documents, known only once they are read.
/// </summary>
public static class ImportOpenSloEndpoint
{
    [WolverinePost("/api/v1/slos/openslo")]
    [Authorize(Policies.Admin)]
    public static async Task<IResult> Post(string? by, IDocumentSession session, TimeProvider clock, IMessageBus bus, HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var result = OpenSloReader.Read(await reader.ReadToEndAsync(http.RequestAborted));
        if (result.Errors.Count > 0) return Problems.Invalid(result.Errors);

        var (actor, now) = (Actor.Of(http, by), clock.GetUtcNow());
        var outcome = new List<object>();
        var decided = new List<(IEventStream<Slo> Stream, IReadOnlyList<object> Events)>();
        foreach (var definition in result.Slos)
        {
            var stream = await session.Events.FetchForWriting<Slo>(SloIds.For(definition.Name), http.RequestAborted);
            var decision = SloDecisions.Upsert(stream.Aggregate, definition, actor, now);
            if (decision.Refusal is { } refusal) return Problems.Conflict(refusal.Reason);
            decided.Add((stream, decision.Events));
            outcome.Add(new { name = definition.Name, created = stream.Aggregate is null, changes = decision.Events.Count });
        }
        var sources = new List<(IEventStream<DataSource> Stream, IReadOnlyList<object> Events)>();
        foreach (var definition in result.DataSources)
        {
            var stream = await session.Events.FetchForWriting<DataSource>(DataSourceIds.For(definition.Name), http.RequestAborted);
            var events = DataSourceDecisions.Upsert(stream.Aggregate, definition, actor, now);
            sources.Add((stream, events));
            outcome.Add(new { kind = "DataSource", name = definition.Name, created = stream.Aggregate is null, changes = events.Count });
        }
        // Appended once every document is allowed, so a refusal leaves nothing for Wolverine to commit.
        foreach (var (stream, events) in decided) stream.AppendMany(events);
        foreach (var (stream, events) in sources) stream.AppendMany(events);
        // Evaluated once the definitions commit (the bus is enrolled in the endpoint's transaction).
        await bus.EvaluateOnCommit(decided.Select(d => d.Stream.Id));
        await bus.PullOnCommit(decided.Where(d => d.Events.Count > 0).Select(d => (d.Stream.Id, result.Slos.Single(s => SloIds.For(s.Name) == d.Stream.Id))));
        return SloAnswer.Stored(result.Slos.Select(s => s.Name).ToList(), outcome);
    }
}
