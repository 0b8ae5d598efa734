using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Sre.Host.Tests.Support;

/// <summary>SLO steps that read as sentences.</summary>
public static class SloSteps
{
    public static object Availability(string name = "checkout-availability", double target = 0.999, string service = "checkout") => new
    {
        name, service, by = "alice", target,
        sli = new { kind = "availability" },
        window = new { kind = "rolling", duration = "30d" },
        labels = new Dictionary<string, string> { ["team"] = "payments" },
    };

    public static async Task<HttpResponseMessage> Send(this HttpClient client, HttpMethod method, string url, object body) =>
        await client.SendAsync(new HttpRequestMessage(method, url)
        {
            Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        });

    public static async Task DefineSlo(this HttpClient client, object definition)
    {
        var response = await client.Send(HttpMethod.Post, "/api/v1/slos", definition);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>One slice a minute from <paramref name="from"/>, each with <paramref name="total"/> requests of which <paramref name="bad"/> failed.</summary>
    public static async Task<JsonElement> Observe(this HttpClient client, string slo, DateTimeOffset from, int minutes, long total, long bad)
    {
        var slices = Enumerable.Range(0, minutes)
            .Select(i => new { start = from.AddMinutes(i), end = from.AddMinutes(i + 1), good = total - bad, total })
            .ToList();
        var response = await client.Send(HttpMethod.Post, $"/api/v1/slos/{slo}/observations", new { slices });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
