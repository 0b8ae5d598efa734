using System.Text.Json;

namespace Sre.Host.Tests.Support;

/// <summary>Alertmanager webhook payloads (version 4), shaped exactly as Alertmanager sends them.</summary>
public static class Payloads
{
    public const string Token = "test-alertmanager-token";

    public sealed record AlertSpec(
        string Fingerprint, string Status = "firing", DateTimeOffset? StartsAt = null, string AlertName = "HighErrorRate",
        string Service = "checkout", string Severity = "page", DateTimeOffset? EndsAt = null);

    public static string GroupKeyFor(string alertName, string service) =>
        $"{{}}:{{alertname=\"{alertName}\", service=\"{service}\"}}";

    public static string Notification(IEnumerable<AlertSpec> alerts, int truncatedAlerts = 0, string? summary = "Checkout error ratio above 2%")
    {
        var list = alerts.ToList();
        var first = list[0];
        var payload = new Dictionary<string, object?>
        {
            ["receiver"] = "sre",
            ["status"] = list.Any(a => a.Status == "firing") ? "firing" : "resolved",
            ["alerts"] = list.Select(a => new Dictionary<string, object?>
            {
                ["status"] = a.Status,
                ["labels"] = new Dictionary<string, string>
                {
                    ["alertname"] = a.AlertName, ["service"] = a.Service, ["severity"] = a.Severity, ["slo"] = $"{a.Service}-availability",
                },
                ["annotations"] = new Dictionary<string, string> { ["summary"] = summary ?? "" },
                ["startsAt"] = (a.StartsAt ?? Start).ToString("yyyy-MM-ddTHH:mm:ss.fffffffK").Replace("+00:00", "Z"),
                ["endsAt"] = a.EndsAt?.ToString("O") ?? "0001-01-01T00:00:00Z",
                ["generatorURL"] = "http://prometheus:9090/graph",
                ["fingerprint"] = a.Fingerprint,
            }).ToList(),
            ["groupLabels"] = new Dictionary<string, string> { ["alertname"] = first.AlertName, ["service"] = first.Service },
            ["commonLabels"] = new Dictionary<string, string>
            {
                ["alertname"] = first.AlertName, ["service"] = first.Service, ["severity"] = first.Severity,
            },
            ["commonAnnotations"] = summary is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["summary"] = summary },
            ["externalURL"] = "http://alertmanager:9093",
            ["version"] = "4",
            ["groupKey"] = GroupKeyFor(first.AlertName, first.Service),
            ["truncatedAlerts"] = truncatedAlerts,
        };
        return JsonSerializer.Serialize(payload);
    }

    public static string Firing(params string[] fingerprints) => Notification(fingerprints.Select(f => new AlertSpec(f)));

    public static string Resolved(params string[] fingerprints) =>
        Notification(fingerprints.Select(f => new AlertSpec(f, "resolved", EndsAt: Start.AddMinutes(30))));

    public static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
}
