using System.Net;
using System.Text.Json;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Operations;

public class ApiDocsTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task the_openapi_document_has_every_endpoint_and_the_docs_page_serves_without_a_key()
    {
        var anonymous = Client();
        anonymous.DefaultRequestHeaders.Authorization = null;
        var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var documented = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .ToHashSet();

        var mapped = MappedEndpoints.Api(Host.Services).Select(e => $"{e.Method} {e.Pattern}").ToHashSet();
        Assert.Empty(mapped.Except(documented));
        Assert.True(document.RootElement.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("apiKey", out _));

        // Every operation that takes a body shows an example, and every example is a request the service accepts
        // (or refuses only because what it names does not exist here), never a 400.
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(m => m.Name is "post" or "put").Select(m => (Path: p.Name, Method: m.Name.ToUpperInvariant(), Operation: m.Value)))
            .ToList();
        Assert.NotEmpty(operations);
        // The examples are dated 27 November 2026 and name the SLO checkout-availability.
        Clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
        await Client().DefineSlo(SloSteps.Availability());
        Clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 13, 30, 0, TimeSpan.Zero));
        foreach (var (path, method, operation) in operations)
        {
            Assert.True(operation.TryGetProperty("requestBody", out var body), $"{method} {path} has no request body");
            var (mediaType, content) = body.GetProperty("content").EnumerateObject().Select(c => (c.Name, c.Value)).First(c => c.Value.TryGetProperty("example", out _));
            var example = content.GetProperty("example");
            var text = example.ValueKind == JsonValueKind.String ? example.GetString()! : example.GetRawText();
            var url = System.Text.RegularExpressions.Regex.Replace(path, @"\{(\w+)\}", m => m.Groups[1].Value == "id" ? Guid.NewGuid().ToString() : m.Groups[1].Value == "name" ? "checkout-availability" : "checkout");
            var sent = await Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(text, System.Text.Encoding.UTF8, mediaType) });
            Assert.True((int)sent.StatusCode is < 400 or 404 or 409, $"{method} {path}: {(int)sent.StatusCode} {await sent.Content.ReadAsStringAsync()}");
            Assert.Contains("Scope: ", operation.GetProperty("description").GetString());
        }

        var docs = await anonymous.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("openapi/v1.json", await docs.Content.ReadAsStringAsync());
    }
}
