using Marten;
using Microsoft.Extensions.Options;
using Sre.Domain;
using Sre.Domain.Incidents;
using Sre.Domain.Toil;
using Wolverine.Marten.Subscriptions;

namespace Sre.Host.Toil;

/// <summary>Record the toil of the resolution at this version of the incident's stream.</summary>
public sealed record RecordIncidentToil(Guid IncidentId, long Version);

/// <summary>
/// Incidents are production-interrupt toil: for each resolution of an acknowledged incident, the time from the
/// acknowledgement to the resolution is recorded for the team that owns the service. Each committed
/// <see cref="IncidentResolved"/> becomes a message through a checkpointed subscription (<see cref="Relay"/>); the
/// entry's id comes from the resolution, so a message handled twice, or a replay, records nothing twice.
/// </summary>
public static class RecordIncidentToilHandler
{
    /// <summary>The subscription's name, and so its checkpoint in the event store.</summary>
    public const string Subscription = "incident-toil";

    private static readonly Guid Namespace = new("c1a4e5d2-8b7f-4c3e-9a1d-2e6f5b4c3d21");

    public static void Relay(IPublishingRelay relay) =>
        relay.PublishEvent<IncidentResolved>((e, bus) => bus.PublishAsync(new RecordIncidentToil(e.StreamId, e.Version)));

    public static async Task Handle(
        RecordIncidentToil message, IDocumentSession session, IOptions<ToilOptions> options, ILogger<RecordIncidentToil> logger,
        CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.IncidentsAsToil) return;
        // One read of the stream up to this resolution: the span and the incident as it was then both come from it.
        var events = (await session.Events.FetchStreamAsync(message.IncidentId, message.Version, token: ct)).Select(x => x.Data).ToList();
        if (IncidentToil.Span(events) is not { } span) return;
        var incident = IncidentEvolution.Fold(null, events);
        if (IncidentToil.Owner(incident, settings.Owners, settings.TeamLabel) is not { } team)
        {
            logger.LogInformation("Incident {IncidentId} of service {Service} has no owning team: no toil recorded", incident.Id, incident.Service);
            return;
        }
        var taskKey = incident.Labels.TryGetValue("alertname", out var alert) && FieldRules.IsName($"incident/{alert}")
            ? $"incident/{alert}"
            : IncidentToil.TaskKey;
        var toil = new Contracts.RecordToil(team, nameof(ToilCategory.ProductionInterrupts), taskKey, IncidentToil.Minutes(span), span.From,
            incident.Acknowledged?.By, [nameof(ToilTrait.Manual), nameof(ToilTrait.Reactive)], incident.Id.ToString(),
            NameBasedGuid.Create(Namespace, $"{message.IncidentId:N}:{message.Version}"), "incident-toil");
        var outcome = await ToilWriter.Record(session, toil, span.To, ct);
        if (outcome.Errors.Count > 0)
            logger.LogWarning("Toil of incident {IncidentId} not recorded: {Errors}", incident.Id, string.Join("; ", outcome.Errors.Select(x => $"{x.Key} {x.Value[0]}")));
    }
}
