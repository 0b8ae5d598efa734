using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.EndToEnd;

/// <summary>
/// The body limit as Kestrel enforces it (the test host's TestServer has none of its own): a body over
/// Auth:MaxBodyBytes, declared or streamed, to a JSON endpoint or to the webhook, is a problem-details 413 and stores
/// nothing; a streamed body under it goes through.
/// </summary>
public sealed class KestrelBodyLimitTests : IAsyncLifetime
{
    private const int Limit = 64 * 1024;
    private readonly string _url = $"http://127.0.0.1:{Repository.FreePort()}";
    private readonly string _schema = $"body_{Guid.NewGuid():N}"[..16];
    private readonly string _work = Directory.CreateTempSubdirectory("sre-body-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30), DefaultRequestHeaders = { Authorization = new("Bearer", TestKeys.Admin) } };
    private ChildProcess? _service;

    public async Task InitializeAsync() =>
        _service = await ChildProcess.Service(_url, Path.Combine(_work, "service.log"), new Dictionary<string, string>
        {
            ["ConnectionStrings__Marten"] = TestEnvironment.ConnectionString,
            ["Marten__Schema"] = _schema,
            ["Bus__Transport"] = "InMemory",
            ["Auth__MaxBodyBytes"] = Limit.ToString(),
        }, _http);

    public async Task DisposeAsync()
    {
        _service?.Dispose();
        _http.Dispose();
        await using var connection = new NpgsqlConnection(TestEnvironment.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private async Task<HttpResponseMessage> Post(string path, string key, string body, bool streamed)
    {
        HttpContent content = streamed ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))) : new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, _url + path) { Content = content, Headers = { TransferEncodingChunked = streamed } };
        request.Headers.Authorization = new("Bearer", key);
        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task a_body_over_kestrels_limit_is_a_problem_413_whoever_reads_it_and_stores_nothing()
    {
        var padding = new string('x', Limit);
        var toil = $"{{\"team\":\"sre\",\"category\":\"migrations\",\"taskKey\":\"k\",\"minutes\":5,\"who\":\"ana\",\"link\":\"https://t/{padding}\"}}";
        var notification = Payloads.Notification([new Payloads.AlertSpec("fp-huge")], summary: padding);

        foreach (var (path, key, body) in new[] { ("/api/v1/toil", TestKeys.Admin, toil), ("/api/v1/alertmanager/webhook", Payloads.Token, notification) })
        foreach (var streamed in new[] { false, true })
        {
            var answer = await Post(path, key, body, streamed);
            var what = $"{path} {(streamed ? "streamed" : "with its length")}";
            Assert.True(answer.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{what}: {(int)answer.StatusCode}");
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            Assert.Equal(413, problem.RootElement.GetProperty("status").GetInt32());
        }

        // Under the limit, a streamed notification is read as it comes and stored.
        Assert.Equal(HttpStatusCode.OK, (await Post("/api/v1/alertmanager/webhook", Payloads.Token, Payloads.Firing("fp-small"), streamed: true)).StatusCode);
        using var incidents = JsonDocument.Parse(await _http.GetStringAsync($"{_url}/api/v1/incidents"));
        Assert.Equal(1, incidents.RootElement.GetProperty("total").GetInt64());
        using var toilTop = JsonDocument.Parse(await _http.GetStringAsync($"{_url}/api/v1/toil/top"));
        Assert.DoesNotContain("\"k\"", toilTop.RootElement.GetRawText());
    }
}
