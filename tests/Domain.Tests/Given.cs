using Sre.Domain.Alertmanager;
using Sre.Domain.Incidents;

namespace Sre.Domain.Tests;

/// <summary>Builders that read as sentences in the tests.</summary>
public static class Given
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    public const string GroupKey = "{}:{alertname=\"HighErrorRate\", service=\"checkout\"}";

    public static ReceivedAlert Alert(string fingerprint, string status = "firing", DateTimeOffset? startsAt = null,
        string alertName = "HighErrorRate", string? slo = null, DateTimeOffset? endsAt = null)
    {
        var labels = new Dictionary<string, string> { ["alertname"] = alertName, ["service"] = "checkout", ["severity"] = "page" };
        if (slo is not null) labels["slo"] = slo;
        return new ReceivedAlert(status, labels, new Dictionary<string, string>(), startsAt ?? T0, endsAt, null, fingerprint);
    }

    public static AlertNotification Notification(params ReceivedAlert[] alerts) => Notification(0, alerts);

    public static AlertNotification Notification(int truncated, params ReceivedAlert[] alerts) => new(
        Guid.NewGuid(),
        "sre",
        alerts.Any(a => a.IsFiring) ? "firing" : "resolved",
        GroupKey,
        truncated,
        new Dictionary<string, string> { ["alertname"] = "HighErrorRate", ["service"] = "checkout" },
        new Dictionary<string, string> { ["alertname"] = "HighErrorRate", ["service"] = "checkout", ["severity"] = "page" },
        new Dictionary<string, string> { ["summary"] = "Checkout error ratio above 2%" },
        "http://alertmanager:9093",
        alerts);

    /// <summary>An incident and its events: its alerts are folded from them, as the alert projection keeps them.</summary>
    public sealed record Ingested(Incident Incident, IReadOnlyList<object> Events)
    {
        public IReadOnlyList<IncidentAlert> Alerts => IncidentAlerts.Fold(Incident.Id, Events);

        /// <summary>Every alert of the incident: more than the webhook loads, which must not change a decision.</summary>
        public AlertBook Book => AlertBook.Of(Alerts);

        public IncidentAlert? Alert(string fingerprint, DateTimeOffset startsAt) =>
            Alerts.SingleOrDefault(a => a.Fingerprint == fingerprint && a.StartsAt == startsAt);

        public Ingested With(Decision decision)
        {
            Assert.Null(decision.Refusal);
            return new Ingested(IncidentEvolution.Fold(Incident, decision.Events), [.. Events, .. decision.Events]);
        }
    }

    /// <summary>The group's latest incident after a sequence of notifications, as the webhook would have built it.</summary>
    public static Ingested? Ingest(IngestOptions options, params AlertNotification[] notifications)
    {
        Ingested? current = null;
        foreach (var n in notifications)
        {
            var next = IncidentIds.For(n.GroupKey, (current?.Incident.Sequence ?? 0) + 1);
            foreach (var change in Decide(current, n, options, next))
                current = change.Opens
                    ? new Ingested(IncidentEvolution.Fold(null, change.Events), change.Events)
                    : new Ingested(IncidentEvolution.Fold(current!.Incident, change.Events), [.. current.Events, .. change.Events]);
        }
        return current;
    }

    /// <summary>The incident after one more notification of its group, which must not open a new incident.</summary>
    public static Ingested Then(this Ingested current, AlertNotification n)
    {
        var change = Assert.Single(Decide(current, n, new IngestOptions(), Guid.NewGuid()));
        Assert.False(change.Opens);
        return new Ingested(IncidentEvolution.Fold(current.Incident, change.Events), [.. current.Events, .. change.Events]);
    }

    public static IReadOnlyList<IncidentChange> Decide(Ingested? current, AlertNotification n, IngestOptions options, Guid newIncidentId) =>
        AlertIngestion.Decide(current?.Incident, current?.Book ?? AlertBook.Empty, n, options, T0, newIncidentId);

    public static Incident? After(IngestOptions options, params AlertNotification[] notifications) => Ingest(options, notifications)?.Incident;

    public static Incident Triggered(string severity = "page") =>
        After(new IngestOptions(), Notification(Alert("fp1")))! with { Severity = severity };

    public static Incident With(this Incident incident, Decision decision)
    {
        Assert.Null(decision.Refusal);
        return IncidentEvolution.Fold(incident, decision.Events);
    }
}
