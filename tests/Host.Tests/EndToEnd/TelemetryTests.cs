using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.EndToEnd;

/// <summary>The running service writes JSON log lines with trace ids, and exports its traces over OTLP when told where.</summary>
[Collection(LiveStackCollection.Name)]
public sealed class TelemetryTests(LiveStack stack) : IAsyncLifetime
{
    private readonly string _url = $"http://127.0.0.1:{Repository.FreePort()}";
    private readonly string _collector = $"http://127.0.0.1:{Repository.FreePort()}/v1/traces/";
    private readonly string _work = Directory.CreateTempSubdirectory("sre-telemetry-").FullName;
    private readonly HttpListener _listener = new();
    private readonly ConcurrentBag<string> _exports = [];
    private ChildProcess? _service;

    private string Log => Path.Combine(_work, "service.log");

    public async Task InitializeAsync()
    {
        // A stand-in OTLP collector: it records what arrives on /v1/traces and answers 200.
        _listener.Prefixes.Add(_collector);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                try
                {
                    var context = await _listener.GetContextAsync();
                    _exports.Add($"{context.Request.HttpMethod} {context.Request.ContentType} {context.Request.ContentLength64}");
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
                catch (Exception) when (!_listener.IsListening)
                {
                }
            }
        });
        _service = await ChildProcess.Service(_url, Log, new Dictionary<string, string>
        {
            ["ConnectionStrings__Marten"] = Environment.GetEnvironmentVariable("SRE_TEST_FAULT_PG")!,
            ["Marten__Schema"] = $"tel_{Guid.NewGuid():N}"[..16],
            ["Bus__Transport"] = "InMemory",
            ["Telemetry__OtlpEndpoint"] = _collector.TrimEnd('/'),
            ["Telemetry__OtlpProtocol"] = "http/protobuf",
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        }, stack.Http);
    }

    public Task DisposeAsync()
    {
        _service?.Dispose();
        _listener.Stop();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task traces_go_to_the_otlp_endpoint_and_logs_are_json_lines_with_trace_ids()
    {
        for (var i = 0; i < 5; i++) Assert.True((await stack.Http.GetAsync($"{_url}/api/v1/incidents")).IsSuccessStatusCode);

        await Repository.Eventually(() => Task.FromResult(_exports.Any(e => e.StartsWith("POST application/x-protobuf"))),
            TimeSpan.FromSeconds(30), "the service exports its traces over OTLP");

        var lines = (await ReadShared(Log)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).ToList();
        Assert.NotEmpty(lines);
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(entries, e => Assert.True(e.TryGetProperty("@timestamp", out _) && e.TryGetProperty("log.level", out _) && e.TryGetProperty("message", out _)));
        Assert.Contains(entries, e => e.TryGetProperty("trace.id", out var trace) && trace.GetString()!.Length == 32);
    }

    [Fact]
    public async Task handled_conflicts_and_refused_bodies_are_not_logged_as_errors()
    {
        using var webhook = new HttpRequestMessage(HttpMethod.Post, $"{_url}/api/v1/alertmanager/webhook")
        {
            Content = new StringContent(Payloads.Firing("fp-log"), System.Text.Encoding.UTF8, "application/json"),
            Headers = { Authorization = new("Bearer", Payloads.Token) },
        };
        Assert.Equal(HttpStatusCode.OK, (await stack.Http.SendAsync(webhook)).StatusCode);
        var list = await stack.Http.GetFromJsonAsync<JsonElement>($"{_url}/api/v1/incidents");
        var id = list.GetProperty("items")[0].GetProperty("id").GetString();

        // Twenty notes at once on one incident: each loads the same version, all but the first commits meet a conflict (409).
        var notes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            stack.Http.PostAsJsonAsync($"{_url}/api/v1/incidents/{id}/notes", new { by = "alice", text = $"note {i}" })));
        var bad = await stack.Http.PostAsync($"{_url}/api/v1/slos", new StringContent("{\"name\":", System.Text.Encoding.UTF8, "application/json"));

        Assert.Contains(notes, n => n.StatusCode == HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await ReadShared(Log)).Split('\n').Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("log.level").GetString() is "error" or "critical")
            .Select(e => e.GetProperty("message").GetString())
            .ToList();
        Assert.True(errors.Count == 0, string.Join("\n---\n", errors));
    }

    private static async Task<string> ReadShared(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return await new StreamReader(stream).ReadToEndAsync();
    }
}
