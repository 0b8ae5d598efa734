using JasperFx.Events;
using Marten;
using Sre.Domain.Incidents;
using Sre.Domain.Slos;

namespace Sre.Host.Slos;

/// <summary>
/// The writes that define many SLOs in one request (the RED preset, an OpenSLO import), which the aggregate workflow,
/// one stream per parameter named before the request runs, does not fit: each SLO's stream is fetched for writing and
/// decided, and nothing is appended unless every one is allowed. Wolverine commits what is appended.
/// </summary>
public static class SloUpserts
{
    public sealed record Upsert(SloDefinition Definition, IEventStream<Slo> Stream, Decision Decision, bool Created);

    /// <summary>Each SLO defined, or changed to its definition; the first refusal instead, with nothing appended.</summary>
    public static async Task<(IReadOnlyList<Upsert> Upserts, Refusal? Refusal)> Append(
        IDocumentSession session, IEnumerable<SloDefinition> definitions, string by, DateTimeOffset now, CancellationToken ct)
    {
        var upserts = new List<Upsert>();
        foreach (var definition in definitions)
        {
            var stream = await session.Events.FetchForWriting<Slo>(SloIds.For(definition.Name), ct);
            var decision = SloDecisions.Upsert(stream.Aggregate, definition, by, now);
            if (decision.Refusal is { } refusal) return ([], refusal);
            upserts.Add(new Upsert(definition, stream, decision, stream.Aggregate is null));
        }
        foreach (var upsert in upserts) upsert.Stream.AppendMany(upsert.Decision.Events);
        return (upserts, null);
    }
}
