using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sre.Host.Slos.OpenSlo;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos.OpenSlo;

/// <summary>
/// The OpenSLO corpus written for this project (<c>corpus/valid</c>, <c>corpus/invalid</c>): every valid document imports,
/// exports back equal and imports again with no new event; every invalid one is refused naming its document and field,
/// with nothing stored.
/// </summary>
public class OpenSloCorpusTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly string Corpus = Repository.PathOf("tests/Host.Tests/Slos/OpenSlo/corpus");

    public static TheoryData<string> Valid() => [.. Directory.GetFiles(Path.Combine(Corpus, "valid")).Select(f => Path.GetFileName(f)).Order()];

    public static TheoryData<string> Invalid() => [.. Directory.GetFiles(Path.Combine(Corpus, "invalid")).Select(f => Path.GetFileName(f)).Order()];

    private async Task<HttpResponseMessage> Import(string text, bool dryRun = false) =>
        await Client().PostAsync($"/api/v1/slos/openslo?by=gitops{(dryRun ? "&dryRun=true" : "")}", new StringContent(text, Encoding.UTF8, "application/yaml"));

    private static List<JsonObject> Documents(string text)
    {
        var errors = new Dictionary<string, string[]>();
        var documents = OpenSloYaml.Read(text, errors).Select(d => d.Node!.AsObject()).ToList();
        Assert.Empty(errors);
        return documents;
    }

    private static string Key(JsonObject d) => $"{d["kind"]}/{d["metadata"]!["name"]}";

    [Theory]
    [MemberData(nameof(Valid))]
    public async Task a_valid_document_imports_exports_back_equal_and_imports_again_as_a_no_op(string file)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Corpus, "valid", file));

        var imported = await Import(text);

        Assert.True(imported.StatusCode == HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());
        var export = await (await Client().GetAsync("/api/v1/openslo")).Content.ReadAsStringAsync();
        var exported = Documents(export).ToDictionary(Key);
        foreach (var document in Documents(text))
            Assert.True(JsonNode.DeepEquals(document, exported.GetValueOrDefault(Key(document))), $"{Key(document)} exported as\n{export}");
        var events = await StoredEvents();

        var again = await Import(export);

        Assert.True(again.StatusCode == HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        Assert.All((await again.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray(), e => Assert.Equal("unchanged", e.GetProperty("action").GetString()));
        Assert.Equal(events, await StoredEvents());
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task an_invalid_document_is_refused_naming_the_document_and_the_field(string file)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Corpus, "invalid", file));
        var field = text.Split('\n').Single(l => l.StartsWith("# field: ", StringComparison.Ordinal))["# field: ".Length..].Trim();

        var response = await Import(text);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Problem(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"{field} not in {errors}");
        var document = field[..(field.IndexOf(']') + 1)];
        // The message names the document by its place, and by kind and name once it has them.
        Assert.StartsWith(document, messages[0].GetString());
        Assert.Equal(0, await StoredEvents());
    }

    [Fact]
    public async Task the_export_of_one_slo_holds_what_it_refers_to_and_nothing_else()
    {
        await Import(await File.ReadAllTextAsync(Path.Combine(Corpus, "valid", "01-every-kind-by-reference.yaml")));
        await Import(await File.ReadAllTextAsync(Path.Combine(Corpus, "valid", "03-raw-ratio.yaml")));

        var export = await (await Client().GetAsync("/api/v1/slos/payments-availability/openslo")).Content.ReadAsStringAsync();

        // One YAML stream, each document after a "---", as repositories keep them.
        Assert.Equal(10, export.Split('\n').Count(l => l == "---"));
        Assert.DoesNotContain("\n...", export);

        Assert.Equal(
            ["Service/payments", "DataSource/payments-prometheus", "SLI/payments-requests", "AlertNotificationTarget/payments-channel",
                "AlertNotificationTarget/payments-pager", "AlertCondition/payments-fast", "AlertCondition/payments-slow",
                "AlertPolicy/payments-fast-burn", "AlertPolicy/payments-slow-burn", "SLO/payments-availability"],
            Documents(export).Select(Key));
    }

    [Fact]
    public async Task a_dry_run_answers_what_would_change_and_stores_nothing()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Corpus, "valid", "05-two-objectives.yaml"));

        var dry = await (await Import(text, dryRun: true)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(0, await StoredEvents());
        var slo = dry.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "SLO");
        Assert.Equal("create", slo.GetProperty("action").GetString());
        Assert.Equal(["orders-availability.internal", "orders-availability.sla"],
            slo.GetProperty("objectives").EnumerateArray().Select(o => o.GetProperty("name").GetString()));

        await Import(text);
        var events = await StoredEvents();
        var changed = await (await Import(text.Replace("targetPercent: 99.5", "targetPercent: 99"), dryRun: true)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(events, await StoredEvents());
        var sla = changed.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "SLO").GetProperty("objectives").EnumerateArray()
            .Single(o => o.GetProperty("name").GetString() == "orders-availability.sla");
        Assert.Equal(["SloTargetChanged"], sla.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["spec.objectives[1].targetPercent"], changed.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "SLO")
            .GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        // Invalid, a dry run is the same 400.
        Assert.Equal(HttpStatusCode.BadRequest, (await Import(text.Replace("targetPercent: 99.5", "targetPercent: 100"), dryRun: true)).StatusCode);
    }

    [Fact]
    public async Task a_changed_alert_condition_redefines_the_stored_slos_that_refer_to_it()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Corpus, "valid", "01-every-kind-by-reference.yaml"));
        await Import(text);
        var condition = string.Join("---\n", text.Split("---\n").Where(d => d.Contains("name: payments-fast\n")));

        var response = await (await Import(condition.Replace("threshold: 13.44", "threshold: 14.4"))).Content.ReadFromJsonAsync<JsonElement>();

        var slo = response.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "SLO");
        Assert.Equal(("payments-availability", "AlertCondition payments-fast"), (slo.GetProperty("name").GetString(), slo.GetProperty("via").GetString()));
        var d = (await Get<Sre.Domain.Slos.Slo>("/api/v1/slos/payments-availability")).Definition;
        Assert.Contains(d.Alerting.Conditions!, c => c is { Severity: "page", Factor: 14.4 });
    }
}
