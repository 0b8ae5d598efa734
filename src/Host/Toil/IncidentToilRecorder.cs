using System.ComponentModel.DataAnnotations;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Microsoft.Extensions.Options;
using Sre.Domain;
using Sre.Domain.Incidents;
using Sre.Domain.Toil;

namespace Sre.Host.Toil;

/// <summary>Configuration section "Toil".</summary>
public sealed class ToilOptions
{
    /// <summary>Record the response to each resolved incident as production-interrupt toil.</summary>
    public bool IncidentsAsToil { get; set; } = true;
    /// <summary>The incident label naming the team that owns the service; it wins over <see cref="Owners"/>.</summary>
    [Required(AllowEmptyStrings = false), Display(Name = "Toil:TeamLabel")]
    public string TeamLabel { get; set; } = "team";
    /// <summary>Service name to owning team.</summary>
    public Dictionary<string, string> Owners { get; set; } = new();
}

/// <summary>
/// Incidents are production-interrupt toil: for each resolution of an acknowledged incident, the time from the
/// acknowledgement to the resolution is recorded for the team that owns the service. A checkpointed subscription,
/// so every resolution is recorded once it is committed; the entry's id comes from the resolution, so a replay
/// records nothing twice.
/// </summary>
public sealed class IncidentToilRecorder : SubscriptionBase
{
    private static readonly Guid Namespace = new("c1a4e5d2-8b7f-4c3e-9a1d-2e6f5b4c3d21");
    private readonly IServiceProvider _services;
    private readonly IOptions<ToilOptions> _options;
    private readonly ILogger<IncidentToilRecorder> _logger;

    // The store is resolved when events come, not here: Marten builds its subscriptions while it builds the store.
    public IncidentToilRecorder(IServiceProvider services, IOptions<ToilOptions> options, ILogger<IncidentToilRecorder> logger)
    {
        _services = services;
        _options = options;
        _logger = logger;
        Name = "incident-toil";
        IncludeType<IncidentResolved>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken ct)
    {
        var options = _options.Value;
        if (!options.IncidentsAsToil) return NullChangeListener.Instance;
        foreach (var e in page.Events)
        {
            // One read of the stream up to this resolution: the span and the incident as it was then both come from it.
            var events = (await operations.Events.FetchStreamAsync(e.StreamId, e.Version, token: ct)).Select(x => x.Data).ToList();
            if (IncidentToil.Span(events) is not { } span) continue;
            var incident = IncidentEvolution.Fold(null, events);
            if (IncidentToil.Owner(incident, options.Owners, options.TeamLabel) is not { } team)
            {
                _logger.LogInformation("Incident {IncidentId} of service {Service} has no owning team: no toil recorded", incident.Id, incident.Service);
                continue;
            }
            var taskKey = incident.Labels.TryGetValue("alertname", out var alert) && FieldRules.IsName($"incident/{alert}")
                ? $"incident/{alert}"
                : IncidentToil.TaskKey;
            var toil = new Contracts.RecordToil(team, nameof(ToilCategory.ProductionInterrupts), taskKey, IncidentToil.Minutes(span), span.From,
                incident.Acknowledged?.By, [nameof(ToilTrait.Manual), nameof(ToilTrait.Reactive)], incident.Id.ToString(),
                NameBasedGuid.Create(Namespace, $"{e.StreamId:N}:{e.Version}"), "incident-toil");
            await using var session = _services.GetRequiredService<IDocumentStore>().LightweightSession();
            var outcome = await ToilWriter.Record(session, toil, span.To, ct);
            if (outcome.Errors.Count > 0)
                _logger.LogWarning("Toil of incident {IncidentId} not recorded: {Errors}", incident.Id, string.Join("; ", outcome.Errors.Select(x => $"{x.Key} {x.Value[0]}")));
        }
        return NullChangeListener.Instance;
    }
}
