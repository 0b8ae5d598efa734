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

    /// <summary>The state after a sequence of notifications, as the webhook would have built it.</summary>
    public static Incident? After(IngestOptions options, params AlertNotification[] notifications)
    {
        Incident? current = null;
        foreach (var n in notifications)
        {
            var next = IncidentIds.For(n.GroupKey, (current?.Sequence ?? 0) + 1);
            foreach (var change in AlertIngestion.Decide(current, n, options, T0, next))
                current = IncidentEvolution.Fold(change.Opens ? null : current, change.Events);
        }
        return current;
    }

    public static Incident Triggered(string severity = "page") =>
        After(new IngestOptions(), Notification(Alert("fp1")))! with { Severity = severity };

    public static Incident With(this Incident incident, Decision decision)
    {
        Assert.Null(decision.Refusal);
        return IncidentEvolution.Fold(incident, decision.Events);
    }
}
