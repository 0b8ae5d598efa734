using System.Net;
using System.Text;
using Marten;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Operations;

/// <summary>Malformed and hostile bodies against every write endpoint: only 4xx, nothing stored, the service keeps serving.</summary>
public class HostileInputTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private const string Sql = "'; DROP TABLE sre.mt_events; --";

    /// <summary>At least 50 bodies: broken JSON, wrong shapes and types, control characters, SQL, extreme numbers and dates.</summary>
    public static IReadOnlyList<(string Name, byte[] Body)> Corpus()
    {
        var texts = new List<(string, string)>
        {
            ("empty", ""), ("whitespace", "   "), ("null", "null"), ("true", "true"), ("number", "42"), ("string", "\"hello\""),
            ("array", "[]"), ("array of objects", "[{}]"), ("truncated object", "{\"name\":"), ("truncated string", "{\"name\":\"abc"),
            ("unclosed array", "[1,2,"), ("trailing comma", "{\"a\":1,}"), ("single quotes", "{'name':'x'}"), ("comment", "{/* x */}"),
            ("bare word", "{name: x}"), ("NaN", "{\"target\":NaN}"), ("Infinity", "{\"minutes\":Infinity}"),
            ("deep arrays", new string('[', 5000) + new string(']', 5000)),
            ("deep objects", string.Concat(Enumerable.Repeat("{\"a\":", 3000)) + "1" + new string('}', 3000)),
            ("huge string", "{\"name\":\"" + new string('x', 900_000) + "\"}"),
            ("many keys", "{" + string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"\"k{i}\":{i}")) + "}"),
            ("wrong types", "{\"name\":1,\"service\":[],\"target\":\"high\",\"minutes\":\"ten\",\"team\":{},\"by\":false}"),
            ("nulls everywhere", "{\"name\":null,\"service\":null,\"target\":null,\"team\":null,\"minutes\":null,\"slices\":null,\"alerts\":null}"),
            ("control characters", "{\"name\":\"a\\u0000b\\u0007\",\"team\":\"\\u001b[31m\",\"taskKey\":\"\\r\\n\",\"service\":\"\\u0000\"}"),
            ("raw control byte", "{\"name\":\"a\u0001b\"}"),
            ("sql in every field", $"{{\"name\":\"{Sql}\",\"service\":\"{Sql}\",\"team\":\"{Sql}\",\"taskKey\":\"{Sql}\",\"target\":\"{Sql}\",\"backupName\":\"{Sql}\",\"version\":\"{Sql}\",\"by\":\"{Sql}\"}}"),
            ("sql in the webhook", $"{{\"version\":\"4\",\"groupKey\":\"{Sql}\",\"status\":\"{Sql}\",\"receiver\":\"r\",\"alerts\":[{{\"status\":\"{Sql}\",\"labels\":{{}},\"startsAt\":\"{Sql}\"}}]}}"),
            ("negative numbers", "{\"minutes\":-1,\"engineers\":-5,\"hoursPerWeek\":-40,\"target\":-0.5,\"sizeBytes\":-1,\"total\":-1,\"good\":-2}"),
            ("enormous numbers", "{\"minutes\":1e308,\"engineers\":99999999999999999999,\"target\":1e308,\"total\":9223372036854775808}"),
            ("tiny numbers", "{\"target\":-1e-308,\"minutes\":5e-324}"),
            ("far future dates", "{\"performedAt\":\"9999-12-31T23:59:59Z\",\"deployedAt\":\"9999-12-31T23:59:59Z\",\"startedAt\":\"9999-12-31T23:59:59Z\",\"until\":\"9999-12-31T23:59:59Z\"}"),
            ("far past dates", "{\"performedAt\":\"0001-01-01T00:00:00Z\",\"deployedAt\":\"0001-01-01T00:00:00Z\",\"startedAt\":\"0001-01-01T00:00:00Z\",\"testedAt\":\"0001-01-01T00:00:00Z\"}"),
            ("not dates", "{\"performedAt\":\"yesterday\",\"deployedAt\":\"soon\",\"startedAt\":\"2026-13-45T99:99:99Z\"}"),
            ("bad durations", "{\"rpo\":\"forever\",\"grace\":\"-5m\",\"duration\":\"1e9y\",\"window\":{\"kind\":\"rolling\",\"duration\":\"0s\"}}"),
            ("unknown enums", "{\"kind\":\"tape\",\"phase\":\"Exploded\",\"category\":\"naps\",\"verdict\":\"maybe\",\"sli\":{\"kind\":\"vibes\"}}"),
            ("huge array", "{\"slices\":[" + string.Join(",", Enumerable.Repeat("{\"start\":\"x\"}", 30_000)) + "]}"),
            ("observation with good over total", "{\"slices\":[{\"start\":\"2026-11-20T08:00:00Z\",\"end\":\"2026-11-20T08:01:00Z\",\"total\":1,\"good\":5}]}"),
            ("webhook without alerts", "{\"version\":\"4\",\"groupKey\":\"g\",\"status\":\"firing\",\"receiver\":\"r\"}"),
            ("webhook of another version", "{\"version\":\"3\",\"groupKey\":\"g\",\"status\":\"firing\",\"receiver\":\"r\",\"alerts\":[]}"),
            ("duplicate keys", "{\"name\":\"a\",\"name\":\"b\"}"),
            ("unicode escapes", "{\"name\":\"\\ud800\"}"),
            ("emoji names", "{\"name\":\"🔥🔥\",\"team\":\"🔥\",\"taskKey\":\"🔥\"}"),
            ("very long name", "{\"name\":\"" + new string('a', 5000) + "\",\"team\":\"" + new string('b', 5000) + "\"}"),
            ("path traversal", "{\"name\":\"../../etc/passwd\",\"team\":\"..\\\\..\",\"backupName\":\"../x\"}"),
            ("html", "{\"name\":\"<script>alert(1)</script>\",\"team\":\"<b>\"}"),
            ("expected version nonsense", "{\"by\":\"a\",\"expectedVersion\":-99999999999}"),
            ("expected version as string", "{\"by\":\"a\",\"expectedVersion\":\"latest\"}"),
            ("object where a list goes", "{\"traits\":{\"a\":1},\"alerts\":{},\"slices\":{},\"observations\":\"x\"}"),
            ("list of nulls", "{\"traits\":[null,null],\"slices\":[null],\"observations\":[null]}"),
            ("whitespace padding", "\n\n\t  {\"a\" \n : \t 1}\n"),
            ("only a BOM", "\uFEFF"),
            ("number overflow in slices", "{\"slices\":[{\"start\":\"2026-11-20T08:00:00Z\",\"end\":\"2026-11-20T08:01:00Z\",\"total\":18446744073709551616,\"good\":1}]}"),
            ("zero-length slice", "{\"slices\":[{\"start\":\"2026-11-20T08:00:00Z\",\"end\":\"2026-11-20T08:00:00Z\",\"total\":1,\"good\":1}]}"),
            ("slo with every field wrong", "{\"name\":\"UPPER CASE\",\"service\":\"\",\"target\":2,\"sli\":{\"kind\":\"latency\"},\"window\":{\"kind\":\"calendar\",\"unit\":\"decade\"}}"),
            ("openslo garbage", "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: [unclosed\n"),
            ("yaml bomb", "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]"),
        };
        var corpus = texts.Select(t => (t.Item1, Encoding.UTF8.GetBytes(t.Item2))).ToList();
        corpus.Add(("invalid UTF-8", [0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]));
        corpus.Add(("binary", Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 256)).ToArray()));
        corpus.Add(("gzip magic", [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]));
        return corpus;
    }

    private IEnumerable<(string Method, string Url)> WriteEndpoints() =>
        MappedEndpoints.Api(Host.Services).Where(e => e.Method is "POST" or "PUT").Select(e => (e.Method, MappedEndpoints.Url(e.Pattern, "hostile")));

    [Fact]
    public async Task hostile_bodies_get_4xx_store_nothing_and_the_service_keeps_serving()
    {
        var corpus = Corpus();
        Assert.True(corpus.Count >= 50, $"{corpus.Count} inputs");
        var endpoints = WriteEndpoints().ToList();
        Assert.True(endpoints.Count >= 25, $"{endpoints.Count} write endpoints");
        var failures = new List<string>();
        // Bodies that happen to be valid deployments (a plain version, nothing else the endpoint reads) may be recorded.
        string[] validDeployments = ["sql in the webhook", "webhook without alerts", "webhook of another version"];

        foreach (var (method, url) in endpoints)
        foreach (var (name, body) in corpus)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new(url.Contains("openslo") ? "application/yaml" : "application/json");
            var response = await Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = content });
            var accepted = url.EndsWith("/deployments") && validDeployments.Contains(name) && response.IsSuccessStatusCode;
            if (!accepted && (int)response.StatusCode is < 400 or >= 500) failures.Add($"{method} {url} <- {name}: {(int)response.StatusCode}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
        await using (var session = Store.QuerySession())
            Assert.All(await session.Events.QueryAllRawEvents().ToListAsync(), e => Assert.Equal("deployment_recorded", e.EventTypeName));
        Assert.Equal(HttpStatusCode.OK, (await Client().GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client().Send(HttpMethod.Post, "/api/v1/toil",
            new { team = "sre", category = "migrations", taskKey = "still-serving", minutes = 5 })).StatusCode);
    }

    [Fact]
    public async Task a_null_body_of_unknown_length_is_refused_by_every_write_endpoint()
    {
        var failures = new List<string>();
        foreach (var (method, url) in WriteEndpoints())
        {
            // A stream that cannot tell its length goes out without Content-Length, as a chunked body does.
            var pipe = new System.IO.Pipelines.Pipe();
            await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("null"));
            await pipe.Writer.CompleteAsync();
            var content = new StreamContent(pipe.Reader.AsStream());
            content.Headers.ContentType = new("application/json");
            var response = await Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = content });
            if ((int)response.StatusCode is < 400 or >= 500) failures.Add($"{method} {url}: {(int)response.StatusCode}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await using var session = Store.QuerySession();
        Assert.Empty(await session.Events.QueryAllRawEvents().ToListAsync());
    }
}
