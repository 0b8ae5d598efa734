using System.Net;
using System.Text.Json;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Operations;

/// <summary>Every query parameter the OpenAPI document lists: malformed values are 400s naming the parameter, never 500s.</summary>
public class QueryParameterTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly string[] Malformed =
    [
        "yesterday", "2026-11-30T10:00:00 08:00", "2026-13-45T99:99:99Z", "-1", "1e309", "99999999999999999999", "%00", "\u00ff\u00fe",
        "' OR 1=1 --", "💥", new('9', 2000), "=", "a=b=c",
    ];

    /// <summary>Parameters whose every value must parse: a typed schema, or an instant, a duration or an enum by name.</summary>
    private static readonly HashSet<string> Parsed = ["at", "from", "to", "window", "step", "bucket", "status", "sort", "change", "label"];

    [Fact]
    public async Task a_time_with_an_encoded_offset_filters_as_that_instant()
    {
        await FiringAlert("fp1"); // opened at 2026-11-20T08:00:00Z

        var before = await Get<JsonElement>("/api/v1/incidents?from=2026-11-20T15:59:00%2B08:00");
        var after = await Get<JsonElement>("/api/v1/incidents?from=2026-11-20T16:01:00%2B08:00");

        Assert.Equal(1, before.GetProperty("total").GetInt64());
        Assert.Equal(0, after.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("/api/v1/incidents?from=2026-11-20T16:01:00+08:00", "from")]
    [InlineData("/api/v1/slos/checkout-availability/status?at=2026-11-20T16:01:00+08:00", "at")]
    [InlineData("/api/v1/incidents?page=abc", "page")]
    [InlineData("/api/v1/slos?includeRetired=maybe", "includeRetired")]
    public async Task a_plus_sent_as_a_space_or_an_unparseable_value_is_400_naming_the_parameter(string url, string parameter)
    {
        await Client().DefineSlo(SloSteps.Availability());
        var response = await Client().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(parameter, Named(await Problem(response)));
    }

    [Fact]
    public async Task every_query_parameter_of_the_openapi_document_refuses_malformed_values_by_name()
    {
        var incident = await FiringAlert("fp1");
        await Client().DefineSlo(SloSteps.Availability());
        var paths = (await Get<JsonElement>("/openapi/v1.json")).GetProperty("paths");

        var checkedParameters = 0;
        foreach (var path in paths.EnumerateObject())
        {
            if (!path.Value.TryGetProperty("get", out var get) || !get.TryGetProperty("parameters", out var parameters)) continue;
            var url = path.Name.Replace("{name}", "checkout-availability").Replace("{team}", "payments").Replace("{service}", "checkout")
                .Replace("{target}", "etcd-prod").Replace("incidents/{id}", $"incidents/{incident.Id}").Replace("{id}", Guid.NewGuid().ToString());
            foreach (var parameter in parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query"))
            {
                var name = parameter.GetProperty("name").GetString()!;
                var typed = parameter.GetProperty("schema").TryGetProperty("type", out var type) && type.ToString() != "string";
                foreach (var value in Malformed)
                {
                    var response = await Client().GetAsync($"{url}?{name}={Uri.EscapeDataString(value)}");
                    var what = $"GET {url}?{name}={value[..Math.Min(value.Length, 40)]}: {(int)response.StatusCode}";
                    Assert.True((int)response.StatusCode < 500, what);
                    if (response.StatusCode == HttpStatusCode.BadRequest) Assert.True(Named(await Problem(response)).Contains(name), what);
                    // A value of the wrong kind for a parameter that must parse is refused, not read as a default.
                    if ((typed || Parsed.Contains(name)) && value == "yesterday") Assert.True(response.StatusCode == HttpStatusCode.BadRequest, what);
                }
                checkedParameters++;
            }
        }
        Assert.True(checkedParameters >= 25, $"only {checkedParameters} query parameters were found in the OpenAPI document");
    }

    /// <summary>The parameters a problem names: its errors' keys, or Wolverine's "parameter".</summary>
    private static IReadOnlySet<string> Named(JsonElement problem)
    {
        var names = new HashSet<string>();
        if (problem.TryGetProperty("errors", out var errors)) names.UnionWith(errors.EnumerateObject().Select(e => e.Name));
        if (problem.TryGetProperty("parameter", out var parameter)) names.Add(parameter.GetString()!);
        return names;
    }
}
