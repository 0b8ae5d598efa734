using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos.OpenSlo;

/// <summary>An OpenSLO SLO over time: objectives added and removed, changed through the JSON API, and hostile bodies.</summary>
public class OpenSloLifecycleTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;

    private static string Slo(params (string Name, double Target)[] objectives) => $$"""
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: cart-availability
        spec:
          service: cart
          indicator:
            metadata:
              name: cart-requests
            spec:
              ratioMetric:
                counter: true
                good:
                  metricSource:
                    type: Datadog
                    spec:
                      query: sum:cart.ok{*}.as_count()
                total:
                  metricSource:
                    type: Datadog
                    spec:
                      query: sum:cart.all{*}.as_count()
          timeWindow:
            - duration: 7d
              isRolling: true
          budgetingMethod: Occurrences
          objectives:
        {{string.Concat(objectives.Select(o => $"    - displayName: {o.Name}\n      target: {o.Target}\n"))}}
        """;

    private async Task<JsonElement> Import(string text)
    {
        var response = await Client().PostAsync("/api/v1/slos/openslo?by=gitops", new StringContent(text, Encoding.UTF8, "application/yaml"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<List<(string Name, bool Retired)>> Slos() =>
        (await Get<JsonElement>("/api/v1/slos?service=cart&includeRetired=true")).EnumerateArray()
        .Select(s => (s.GetProperty("name").GetString()!, s.GetProperty("retired").GetBoolean())).ToList();

    [Fact]
    public async Task objectives_added_and_removed_keep_their_names_and_history_and_take_pushes()
    {
        await Import(Slo(("Internal", 0.999)));
        Assert.Equal([("cart-availability", false)], await Slos());

        // A second objective: each is an SLO of its own, and the SLO's own stream is retired.
        await Import(Slo(("Internal", 0.999), ("SLA", 0.995)));
        Assert.Equal([("cart-availability", true), ("cart-availability.internal", false), ("cart-availability.sla", false)], await Slos());

        // Back to one: it stays an objective (with its history), and the one removed is retired.
        var back = await Import(Slo(("Internal", 0.999)));
        Assert.Equal([("cart-availability", true), ("cart-availability.internal", false), ("cart-availability.sla", true)], await Slos());
        Assert.Contains(back.EnumerateArray().Single().GetProperty("objectives").EnumerateArray(),
            o => o.GetProperty("name").GetString() == "cart-availability.sla" && o.GetProperty("action").GetString() == "retire");

        // Slices sent to the SLO go to its live objective, though its own stream is retired.
        Clock.Advance(TimeSpan.FromMinutes(5));
        var pushed = await Client().Observe("cart-availability", T, 5, 100, 1);
        Assert.Equal(5, pushed.GetProperty("accepted").GetInt32());
        Assert.Equal(500, (await Get<JsonElement>("/api/v1/slos/cart-availability.internal/status")).GetProperty("sli").GetProperty("total").GetInt32());

        // The export of what runs imports back with nothing new.
        var events = await StoredEvents();
        var export = await (await Client().GetAsync("/api/v1/slos/cart-availability/openslo")).Content.ReadAsStringAsync();
        Assert.All((await Import(export)).EnumerateArray(), e => Assert.Equal("unchanged", e.GetProperty("action").GetString()));
        Assert.Equal(events, await StoredEvents());
    }

    [Fact]
    public async Task an_slo_changed_through_the_json_api_exports_as_it_runs_and_that_export_imports_as_a_no_op()
    {
        await Import(await File.ReadAllTextAsync(Repository.PathOf("docs/examples/openslo.yaml")));
        var slo = await Get<JsonElement>("/api/v1/slos/search-availability");
        var definition = slo.GetProperty("definition");
        var changed = await Client().Send(HttpMethod.Put, "/api/v1/slos/search-availability", new
        {
            name = "search-availability", service = "search", by = "alice", target = 0.99,
            sli = definition.GetProperty("sli"), window = definition.GetProperty("window"), labels = new Dictionary<string, string> { ["team"] = "search" },
            description = definition.GetProperty("description").GetString(),
        });
        Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());

        var export = await (await Client().GetAsync("/api/v1/slos/search-availability/openslo")).Content.ReadAsStringAsync();
        var events = await StoredEvents();
        var again = await Import(export);

        Assert.Contains("target: 0.99\n", export);
        Assert.All(again.EnumerateArray(), e => Assert.Equal("unchanged", e.GetProperty("action").GetString()));
        Assert.Equal(events, await StoredEvents());
    }

    [Theory]
    [InlineData("deep")]
    [InlineData("metadata-scalar")]
    [InlineData("spec-list")]
    [InlineData("huge-duration")]
    [InlineData("ancient-start")]
    [InlineData("heavy-weight")]
    public async Task hostile_documents_are_400_not_500(string what)
    {
        var body = what switch
        {
            "deep" => "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec: " + new string('[', 5000) + new string(']', 5000) + "\n",
            "metadata-scalar" => "apiVersion: openslo/v1\nkind: SLO\nmetadata: nope\nspec: {}\n",
            "spec-list" => "apiVersion: openslo/v1\nkind: SLI\nmetadata: {name: a}\nspec: [1, 2]\n",
            "huge-duration" => Slo(("Internal", 0.999)).Replace("duration: 7d", "duration: 99999Y"),
            "ancient-start" => Slo(("Internal", 0.999)).Replace("    - duration: 7d\n      isRolling: true", "    - duration: 1h\n      calendar:\n        startTime: \"0001-01-01 00:00:00\"\n        timeZone: Asia/Tokyo"),
            _ => Slo(("Internal", 0.999)).Replace("      target: 0.999", "      target: 0.999\n      compositeWeight: 1e300\n      indicatorRef: cart-requests"),
        };

        var response = await Client().PostAsync("/api/v1/slos/openslo", new StringContent(body, Encoding.UTF8, "application/yaml"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(0, await StoredEvents());
    }
}
