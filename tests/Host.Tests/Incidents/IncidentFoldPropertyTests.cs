using CsCheck;
using Marten;
using Sre.Domain.Incidents;
using Sre.Host.Tests.Support;
using Sre.Projections;
using Sre.Projections.Incidents;

namespace Sre.Host.Tests.Incidents;

/// <summary>
/// The incident is folded two ways: by the webhook (<see cref="IncidentEvolution"/>, which the writer decides on and
/// <see cref="IncidentProjection"/> stores) and by Marten's own aggregation (the generated dispatch to
/// <see cref="Incident"/>'s Create and Apply, <c>AggregateStreamAsync</c>, which <c>?at=</c> reads). For random histories
/// of every incident event, written once as the webhook writes (the function, the projection applied by the writer) and
/// once through Marten's append (the projection applied by Marten), every document and fold agrees.
/// </summary>
public class IncidentFoldPropertyTests(AppFixture fixture) : IntegrationContext(fixture)
{
    /// <summary>One event of a history: which kind, which alert occurrence, and a choice (actor, flags, commit after).</summary>
    private sealed record Step(int Kind, int Alert, int Choice);

    private static readonly Gen<Step> StepGen = Gen.Select(Gen.Int[0, 19], Gen.Int[0, 5], Gen.Int[0, 3]).Select(t => new Step(t.Item1, t.Item2, t.Item3));

    private static readonly IncidentProjection Projection = new();

    [Fact]
    public async Task the_webhooks_fold_and_martens_agree_on_generated_histories()
    {
        await StepGen.Array[0, 30].SampleAsync(Scenario, iter: 25, threads: 1);
    }

    private async Task Scenario(Step[] steps)
    {
        var (webhook, marten) = (Guid.NewGuid(), Guid.NewGuid());
        var history = History(webhook, steps);
        // Transactions end where a step says so: an incident's events come in several commits, as notifications do.
        var commits = Commits(history, steps);
        Incident? held = null;
        var version = 0L;
        foreach (var events in commits)
        {
            await using var session = Store.LightweightSession();
            var appended = ManyStreams.Queue(session, typeof(Incident), [new ManyStreams.Append(webhook, version, events)]);
            // The writer hands over the incident it holds, when it holds it; the projection loads it otherwise.
            var stored = held is not null && version % 2 == 0 ? new Dictionary<Guid, Incident> { [webhook] = held } : [];
            held = (await Projection.ApplyAsync(session, appended, stored, CancellationToken.None)).Single();
            await session.SaveChangesAsync();
            version += events.Count;
        }
        foreach (var events in Commits(History(marten, steps), steps))
        {
            await using var session = Store.LightweightSession();
            if (events[0] is IncidentOpened) session.Events.StartStream<Incident>(marten, events);
            else session.Events.Append(marten, events);
            await session.SaveChangesAsync();
        }

        var folded = IncidentEvolution.Fold(null, history) with { Version = history.Count };
        await using var query = Store.QuerySession();
        var expected = Serialized(folded, webhook);
        Assert.Equal(expected, Serialized(held!, webhook));
        Assert.Equal(expected, Serialized((await query.LoadAsync<Incident>(webhook))!, webhook));
        Assert.Equal(expected, Serialized((await query.Events.AggregateStreamAsync<Incident>(webhook))!, webhook));
        Assert.Equal(expected, Serialized((await query.LoadAsync<Incident>(marten))!, marten));
        Assert.Equal(expected, Serialized((await query.Events.AggregateStreamAsync<Incident>(marten))!, marten));

        var alerts = Serialized(IncidentAlerts.Fold(webhook, history), webhook);
        Assert.Equal(alerts, Serialized(IncidentAlerts.Ordered(await query.Query<IncidentAlert>().Where(a => a.IncidentId == webhook).ToListAsync()), webhook));
        Assert.Equal(alerts, Serialized(IncidentAlerts.Ordered(await query.Query<IncidentAlert>().Where(a => a.IncidentId == marten).ToListAsync()), marten));
    }

    /// <summary>A document as JSON, its keys in one order and without its incident's id (each history has its own).</summary>
    private string Serialized(object value, Guid id) =>
        CanonicalJson.Of(Store.Options.Serializer().ToJson(value)).Replace(id.ToString(), "").Replace(id.ToString("N"), "");

    private static List<List<object>> Commits(List<object> history, Step[] steps)
    {
        var commits = new List<List<object>> { new() };
        for (var i = 0; i < history.Count; i++)
        {
            commits[^1].Add(history[i]);
            if (i > 0 && steps[i - 1].Choice == 3 && i < history.Count - 1) commits.Add([]);
        }
        return commits;
    }

    /// <summary>
    /// An opening, then one event a step: alert reports of six occurrences (some named by an SLO, some first reports
    /// marked as such, some unmarked as before the mark existed), truncations, and every command of the lifecycle.
    /// </summary>
    private static List<object> History(Guid id, Step[] steps)
    {
        var at = AppFixture.Epoch;
        var history = new List<object>
        {
            new IncidentOpened(id, $"{{}}:{{fold=\"{id}\"}}", 1, "Fold", "checkout", "page", new() { ["alertname"] = "Fold" }, "sre", null, at, Actors.Alertmanager),
        };
        var reported = new HashSet<int>();
        foreach (var (step, i) in steps.Select((s, i) => (s, i)))
        {
            at = at.AddMinutes(1);
            var by = step.Choice switch { 0 => Actors.Alertmanager, 1 => "alice", _ => "bob" };
            var first = reported.Add(step.Alert);
            bool? firstReport = step.Choice % 2 == 0 ? first : null;
            var notification = new Guid(i + 1, 0, 0, new byte[8]);
            history.Add(step.Kind switch
            {
                <= 4 => new AlertFired(notification, Alert(step), at, Actors.Alertmanager, firstReport),
                <= 6 => new AlertResolved(notification, Alert(step) with { EndsAt = at }, at, Actors.Alertmanager, firstReport),
                7 => new AlertsTruncated(notification, step.Alert, at, Actors.Alertmanager),
                8 => new IncidentAcknowledged(at, by),
                9 => new IncidentMitigated(step.Choice == 0 ? null : "rolled back", at, by),
                10 => new IncidentResolved(step.Choice == 0 ? null : "fixed", at, by),
                11 => new IncidentReopened(step.Choice == 0 ? null : "again", at, by),
                12 => new IncidentNoteAdded($"note {i}", at, by),
                13 => new IncidentSeverityChanged("page", step.Choice == 0 ? "ticket" : "page", at, by),
                14 => new IncidentCommanderAssigned(by, at, by),
                15 => new PostmortemRecorded($"https://wiki/pm/{i}", "summary", [new ActionItem("fix", "P1", by)], at, by),
                16 => new IncidentClosed(at, by),
                17 => new PostmortemRequired("checkout-availability", 0.25 + step.Alert / 10.0, at, "slo-evaluator"),
                _ => new AlertTriaged($"fp{step.Alert % 3}", AppFixture.Epoch.AddHours(step.Alert / 3), step.Choice % 2 == 0 ? AlertVerdict.Noise : AlertVerdict.Actionable, at, by),
            });
            // Only a report counts as one: the occurrence of another event stays unreported.
            if (step.Kind > 6 && first) reported.Remove(step.Alert);
        }
        return history;
    }

    private static AlertSnapshot Alert(Step step)
    {
        var labels = new Dictionary<string, string> { ["alertname"] = "Fold", ["n"] = $"{step.Alert}" };
        if (step.Alert % 2 == 0) labels[Incident.SloLabelName] = $"slo-{step.Alert % 4}";
        return new AlertSnapshot($"fp{step.Alert % 3}", AppFixture.Epoch.AddHours(step.Alert / 3), null, labels,
            new() { ["summary"] = $"alert {step.Alert}" }, "http://prometheus/graph");
    }
}
