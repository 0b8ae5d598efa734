using System.Reflection;
using System.Text;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Sre.Domain.Deployments;
using Sre.Domain.Toil;
using Sre.Host.Operations;
using Sre.Host.Slos;
using Sre.Host.Tests.Support;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Tests.Operations;

/// <summary>
/// A safe method changes nothing: caches, prefetchers and link checkers call GETs nobody meant. Every GET the OpenAPI
/// document lists, with and without every parameter it declares, leaves every table of the store as it was.
/// </summary>
public class SafeMethodTests(AppFixture fixture) : IntegrationContext(fixture)
{
    // Tables the store's own machinery changes in the background (the daemon's progress, Wolverine's node bookkeeping).
    private static readonly string[] Background =
    [
        "mt_event_progression", "mt_event_projection_floors", "mt_high_water_skips",
        "wolverine_nodes", "wolverine_node_records", "wolverine_node_assignments", "wolverine_agent_restrictions", "wolverine_control_queue",
    ];

    // A value a caller could send for each query parameter a GET declares (the examples are dated 27 November 2026).
    // A new parameter fails the test until it has one here.
    private static readonly Dictionary<string, string> Plausible = new()
    {
        ["at"] = "2026-11-27T12:00:00Z", ["from"] = "2026-11-20T00:00:00Z", ["to"] = "2026-11-27T13:00:00Z",
        ["window"] = "7d", ["step"] = "1h", ["status"] = "open", ["service"] = "checkout", ["severity"] = "page",
        ["page"] = "1", ["pageSize"] = "10", ["label"] = "team=payments", ["sort"] = "remainingBudget", ["includeRetired"] = "true",
        ["team"] = "payments", ["limit"] = "5", ["baselineWeeks"] = "2", ["bucket"] = "week",
        ["change"] = "security", ["by"] = "release-bot", ["slo"] = "checkout-availability",
    };

    [Fact]
    public async Task no_get_in_the_openapi_document_changes_anything_whatever_its_parameters()
    {
        var ids = await EveryCapabilityHasData();
        var gets = await DocumentedGets();
        Assert.True(gets.Count >= 20, $"only {gets.Count} GETs documented");
        var unknown = gets.SelectMany(g => g.Query).Where(p => !Plausible.ContainsKey(p)).Distinct().ToList();
        Assert.True(unknown.Count == 0, $"no plausible value for the query parameters {string.Join(", ", unknown)}: add one to Plausible");

        var writes = new List<string>();
        foreach (var (path, query) in gets)
        {
            var url = System.Text.RegularExpressions.Regex.Replace(path, @"\{(\w+)\}", m => ids(path, m.Groups[1].Value));
            foreach (var sent in new[] { url, url + "?" + string.Join('&', query.Select(p => $"{p}={Uri.EscapeDataString(Plausible[p])}")) }.Distinct())
            {
                var before = await Tables();
                var response = await Client().GetAsync(sent);
                var after = await Tables();
                // Without parameters each GET finds what it reads: the test watches real reads, not 404s.
                Assert.True(sent == url ? response.IsSuccessStatusCode : (int)response.StatusCode < 500,
                    $"GET {sent}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                var changed = before.Keys.Where(t => after[t] != before[t]).ToList();
                if (changed.Count > 0) writes.Add($"GET {sent} ({(int)response.StatusCode}) changed {string.Join(", ", changed)}");
            }
        }
        Assert.True(writes.Count == 0, string.Join("\n", writes));
    }

    /// <summary>The other door: whatever its arguments, a GET endpoint is handed only what reads.</summary>
    [Fact]
    public void every_get_endpoint_takes_only_what_reads()
    {
        Type[] reads = [typeof(IQuerySession), typeof(SliceStore), typeof(ProjectionCache), typeof(Sre.Host.Cluster.ClusterView), typeof(TimeProvider), typeof(Microsoft.AspNetCore.Http.HttpContext), typeof(CancellationToken)];
        var gets = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.GetCustomAttribute<WolverineGetAttribute>() is not null)
            .ToList();
        Assert.True(gets.Count >= 20, $"only {gets.Count} GET endpoints found");

        var offending = gets
            .SelectMany(m => m.GetParameters().Select(p => (Endpoint: $"{m.DeclaringType!.Name}.{m.Name}", p.Name, p.ParameterType)))
            .Where(p => !(p.ParameterType.IsValueType || p.ParameterType == typeof(string) || reads.Contains(p.ParameterType)
                          || p.ParameterType.IsGenericType && p.ParameterType.GetGenericTypeDefinition() == typeof(IOptions<>)))
            .Select(p => $"{p.Endpoint} takes {p.ParameterType.Name} {p.Name}")
            .ToList();
        Assert.True(offending.Count == 0, string.Join("\n", offending));
    }

    /// <summary>Every example body of the API posted, so that every GET finds something to read; the ids to read it by.</summary>
    private async Task<Func<string, string, string>> EveryCapabilityHasData()
    {
        Clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
        await Client().DefineSlo(SloSteps.Availability());
        Clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 13, 30, 0, TimeSpan.Zero));
        foreach (var (route, body) in ApiExamples.Bodies)
        {
            var (method, path) = (route.Split(' ')[0], "/" + route.Split(' ')[1]);
            if (path.Contains("{id}")) continue;
            var url = path.Replace("{service}", "checkout").Replace("{name}", "checkout-availability").Replace("{team}", "payments").Replace("{target}", "etcd-prod");
            var mediaType = body.TrimStart().StartsWith('{') ? "application/json" : "application/yaml";
            var sent = await Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(body, Encoding.UTF8, mediaType) });
            Assert.True(sent.IsSuccessStatusCode || (int)sent.StatusCode == 409, $"{method} {url}: {(int)sent.StatusCode} {await sent.Content.ReadAsStringAsync()}");
        }
        // Every projection is inline, so the reads below find all of it; each GET is watched on its own, so that a
        // write is pinned on the request that made it.

        await using var session = Store.QuerySession();
        var incident = (await Incidents()).First().Id;
        var deployment = (await session.Query<Deployment>().FirstAsync()).Id;
        var automation = (await session.Query<ToilAutomation>().FirstAsync()).Id;
        return (path, parameter) => parameter switch
        {
            "id" when path.Contains("/deployments/") => deployment.ToString(),
            "id" when path.Contains("/automations/") => automation.ToString(),
            "id" => incident.ToString(),
            "service" => "checkout",
            // The OpenSLO example's SLO is the one with Prometheus queries, and two objectives.
            "name" when path.EndsWith("/prometheus-rules") => "search-availability.internal",
            "name" when path.EndsWith("/objectives") => "search-availability",
            // And the data source it names.
            "name" when path.StartsWith("/api/v1/datasources/") => "mimir",
            "name" => "checkout-availability",
            "team" => "payments",
            "target" => "etcd-prod",
            _ => throw new InvalidOperationException($"no value for the path parameter {parameter} of {path}"),
        };
    }

    private async Task<List<(string Path, List<string> Query)>> DocumentedGets()
    {
        using var document = JsonDocument.Parse(await Client().GetStringAsync("/openapi/v1.json"));
        return document.RootElement.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/") && p.Value.TryGetProperty("get", out _))
            .Select(p => (p.Name, (p.Value.GetProperty("get").TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray() : default)
                .Where(q => q.GetProperty("in").GetString() == "query")
                .Select(q => q.GetProperty("name").GetString()!)
                .ToList()))
            .ToList();
    }

    /// <summary>Every table of the store but the background ones: its row count and a hash of its rows.</summary>
    private async Task<Dictionary<string, string>> Tables()
    {
        var schema = Store.Options.DatabaseSchemaName;
        await using var connection = new NpgsqlConnection(TestEnvironment.ConnectionString);
        await connection.OpenAsync();
        var names = new List<string>();
        await using (var list = new NpgsqlCommand("select table_name from information_schema.tables where table_schema = @s and table_type = 'BASE TABLE'", connection))
        {
            list.Parameters.AddWithValue("s", schema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        }
        var watched = names.Where(n => !Background.Contains(n)).Order().ToList();
        var sql = string.Join(" union all ", watched.Select(n =>
            $"select '{n}', count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from \"{schema}\".\"{n}\" t"));
        var tables = new Dictionary<string, string>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync()) tables[rows.GetString(0)] = rows.GetString(1);
        return tables;
    }
}
