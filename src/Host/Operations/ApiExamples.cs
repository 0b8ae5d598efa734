using System.Text.Json.Nodes;

namespace Sre.Host.Operations;

/// <summary>An example body for every endpoint that takes one, shown in the OpenAPI document and at /docs.</summary>
public static class ApiExamples
{
    private const string Incident = "{\"by\":\"alice\",\"expectedVersion\":3}";

    public static readonly IReadOnlyDictionary<string, string> Bodies = new Dictionary<string, string>
    {
        ["POST api/v1/alertmanager/webhook"] = """{"version":"4","groupKey":"{}:{alertname=\"HighErrorRate\",service=\"checkout\"}","status":"firing","receiver":"sre","groupLabels":{"alertname":"HighErrorRate","service":"checkout"},"commonLabels":{"alertname":"HighErrorRate","service":"checkout","severity":"page","slo":"checkout-availability"},"commonAnnotations":{"summary":"Checkout error ratio above 2%"},"externalURL":"http://alertmanager:9093","truncatedAlerts":0,"alerts":[{"status":"firing","labels":{"alertname":"HighErrorRate","service":"checkout","severity":"page"},"annotations":{"summary":"Checkout error ratio above 2%"},"startsAt":"2026-11-27T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus:9090/graph","fingerprint":"c2ab1e9d4f3b7a10"}]}""",
        ["POST api/v1/incidents"] = "{\"title\":\"Customers cannot pay\",\"service\":\"checkout\",\"severity\":\"page\",\"slos\":[\"checkout-availability\"],\"impactStartedAt\":\"2026-11-27T13:10:00Z\",\"description\":\"Reported by support\",\"by\":\"alice\"}",
        ["POST api/v1/incidents/{id}/alerts"] = """{"groupKey":"{}:{alertname=\"HighErrorRate\", service=\"checkout\"}","by":"bob"}""",
        ["POST api/v1/incidents/{id}/acknowledge"] = Incident,
        ["POST api/v1/incidents/{id}/mitigate"] = "{\"by\":\"alice\",\"note\":\"rolled back to v41\"}",
        ["POST api/v1/incidents/{id}/resolve"] = "{\"by\":\"alice\",\"note\":\"error ratio back under 0.1%\"}",
        ["POST api/v1/incidents/{id}/reopen"] = "{\"by\":\"bob\",\"reason\":\"errors again\"}",
        ["POST api/v1/incidents/{id}/notes"] = "{\"by\":\"bob\",\"text\":\"error ratio 3% on eu-west\"}",
        ["POST api/v1/incidents/{id}/severity"] = "{\"by\":\"carol\",\"severity\":\"critical\"}",
        ["POST api/v1/incidents/{id}/commander"] = "{\"by\":\"alice\",\"commander\":\"carol\"}",
        ["POST api/v1/incidents/{id}/postmortem"] = "{\"by\":\"carol\",\"link\":\"https://wiki.example.com/pm/42\",\"summary\":\"A bad config\",\"actionItems\":[{\"title\":\"Validate config in CI\",\"priority\":\"P0\"}]}",
        ["POST api/v1/incidents/{id}/close"] = "{\"by\":\"carol\"}",
        ["POST api/v1/incidents/{id}/triage"] = "{\"by\":\"alice\",\"verdict\":\"noise\",\"fingerprint\":\"c2ab1e9d4f3b7a10\"}",
        ["POST api/v1/slos"] = Slo,
        ["PUT api/v1/slos/{name}"] = Slo,
        ["POST api/v1/services/{service}/red-slos"] = "{\"by\":\"alice\",\"errors\":{\"target\":0.999},\"duration\":{\"target\":0.99,\"threshold\":\"300ms\"},\"rate\":{\"target\":0.99,\"minPerMinute\":100}}",
        ["POST api/v1/slos/openslo"] = "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: search-availability\nspec:\n  service: search\n  budgetingMethod: Occurrences\n  timeWindow:\n    - duration: 28d\n      isRolling: true\n  objectives:\n    - displayName: Internal\n      target: 0.999\n    - displayName: SLA\n      targetPercent: 99.5\n  indicator:\n    metadata:\n      name: search-requests\n    spec:\n      ratioMetric:\n        good:\n          metricSource:\n            metricSourceRef: mimir\n            type: Prometheus\n            spec:\n              query: sum(rate(http_requests_total{service=\"search\",code!~\"5..\"}[{{.window}}]))\n        total:\n          metricSource:\n            metricSourceRef: mimir\n            type: Prometheus\n            spec:\n              query: sum(rate(http_requests_total{service=\"search\"}[{{.window}}]))\n"
            + "---\napiVersion: openslo/v1\nkind: DataSource\nmetadata:\n  name: mimir\nspec:\n  type: Prometheus\n  connectionDetails:\n    url: http://mimir.monitoring:9009/prometheus\n    headers:\n      X-Scope-OrgID: search\n    queryTimeout: 30s\n",
        ["POST api/v1/slos/{name}/observations"] = "{\"slices\":[{\"start\":\"2026-11-27T10:00:00Z\",\"end\":\"2026-11-27T10:01:00Z\",\"good\":998,\"total\":1000}]}",
        ["POST api/v1/slos/{name}/alerting-backtest"] = "{\"from\":\"2026-11-27T10:00:00Z\",\"to\":\"2026-11-27T13:00:00Z\",\"step\":\"1m\",\"strategies\":[{\"kind\":\"shortWindow\"},{\"kind\":\"alertDuration\",\"for\":\"30m\"},{\"kind\":\"multiWindowMultiBurnRate\"}],\"grace\":\"1h\"}",
        ["POST api/v1/observations"] = "{\"by\":\"collector\",\"observations\":[{\"slo\":\"checkout-availability\",\"start\":\"2026-11-27T10:00:00Z\",\"end\":\"2026-11-27T10:01:00Z\",\"good\":998,\"total\":1000}]}",
        ["POST api/v1/services/{service}/deployments"] = "{\"version\":\"v42\",\"by\":\"ci\",\"deployedAt\":\"2026-11-27T09:50:00Z\",\"link\":\"https://ci.example.com/runs/42\"}",
        ["POST api/v1/services/{service}/release-gate/bypasses"] = "{\"change\":\"security\",\"by\":\"release-bot\"}",
        ["POST api/v1/services/{service}/release-gate/overrides"] = "{\"by\":\"vp-eng\",\"reason\":\"The fix for the outage itself\",\"until\":\"2026-11-27T18:00:00Z\"}",
        ["POST api/v1/toil"] = "{\"team\":\"payments\",\"who\":\"ana\",\"category\":\"production interrupts\",\"taskKey\":\"tmp-dir-cleanup\",\"minutes\":45,\"performedAt\":\"2026-11-27T08:00:00Z\",\"traits\":[\"manual\",\"repetitive\",\"automatable\"],\"link\":\"https://tickets.example.com/OPS-17\"}",
        ["POST api/v1/toil/automations"] = "{\"taskKey\":\"tmp-dir-cleanup\",\"deliveredAt\":\"2026-11-20T12:00:00Z\",\"description\":\"systemd-tmpfiles\",\"by\":\"ana\"}",
        ["PUT api/v1/teams/{team}"] = "{\"engineers\":4,\"hoursPerWeek\":40,\"effectiveFrom\":\"2026-11-02T00:00:00Z\"}",
        ["PUT api/v1/backups/policies/{target}"] = "{\"kind\":\"etcd\",\"schedule\":\"0 */6 * * *\",\"timeZone\":\"Europe/Berlin\",\"rpo\":\"7h\",\"grace\":\"15m\",\"retention\":\"30d\",\"openIncident\":true,\"slos\":{\"freshness\":0.99,\"durability\":0.9,\"window\":\"28d\"}}",
        ["POST api/v1/backups/reports"] = "{\"target\":\"etcd-prod\",\"backupName\":\"snapshot-202611271200\",\"tool\":\"etcdctl\",\"phase\":\"Completed\",\"startedAt\":\"2026-11-27T12:00:00Z\",\"completedAt\":\"2026-11-27T12:01:00Z\",\"sizeBytes\":4194304,\"location\":\"s3://etcd-backups/prod/\",\"etcdRevision\":123456,\"etcdHash\":\"3233069178\"}",
        ["POST api/v1/backups/restore-tests"] = "{\"target\":\"etcd-prod\",\"backupName\":\"snapshot-202611271200\",\"succeeded\":true,\"duration\":\"12m\",\"testedAt\":\"2026-11-27T13:00:00Z\"}",
    };

    private const string Slo = "{\"name\":\"checkout-availability\",\"service\":\"checkout\",\"by\":\"alice\",\"target\":0.999,\"sli\":{\"kind\":\"availability\"},\"window\":{\"kind\":\"rolling\",\"duration\":\"30d\"},\"labels\":{\"team\":\"payments\"}}";

    /// <summary>The example as the document carries it: JSON as a tree, YAML as a string.</summary>
    public static JsonNode? For(string method, string relativePath) =>
        Bodies.TryGetValue($"{method} {relativePath.Split('?')[0].TrimStart('/')}", out var body)
            ? body.TrimStart().StartsWith('{') ? JsonNode.Parse(body) : JsonValue.Create(body)
            : null;
}
