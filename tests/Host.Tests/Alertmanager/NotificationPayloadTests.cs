using System.Text;
using Sre.Domain.Alertmanager;
using Sre.Host.Alertmanager;
using Sre.Host.Tests.Support;
using Wolverine.Http;

namespace Sre.Host.Tests.Alertmanager;

public class NotificationPayloadTests
{
    private sealed record Result(AlertNotification? Notification, IReadOnlyDictionary<string, string[]> Errors)
    {
        public bool IsValid => Notification is not null;
    }

    /// <summary>As the webhook reads a body: from a stream, then the one Validate both doors share.</summary>
    private static async Task<Result> Parse(string json)
    {
        var (payload, problem) = await NotificationPayload.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), CancellationToken.None);
        if (payload is not null) problem = NotificationPayload.Validate(payload);
        return problem == WolverineContinue.NoProblems
            ? new Result(NotificationPayload.ToNotification(payload!, Guid.NewGuid()), new Dictionary<string, string[]>())
            : new Result(null, (IReadOnlyDictionary<string, string[]>)problem.Extensions["errors"]!);
    }

    private static string Edit(Func<string, string> change) => change(Payloads.Firing("fp1"));

    [Fact]
    public async Task reads_a_notification_as_alertmanager_sends_it()
    {
        var result = await Parse(Payloads.Notification([new Payloads.AlertSpec("fp1"), new Payloads.AlertSpec("fp2", "resolved", EndsAt: Payloads.Start.AddMinutes(5))], 2));
        var n = result.Notification!;
        Assert.Equal(("4", "sre", 2, 2), ("4", n.Receiver, n.TruncatedAlerts, n.Alerts.Count));
        Assert.Null(n.Alerts[0].EndsAt);
        Assert.Equal(Payloads.Start.AddMinutes(5), n.Alerts[1].EndsAt);
        Assert.Equal("checkout", n.CommonLabels["service"]);
    }

    [Fact]
    public async Task keeps_nanosecond_timestamps_to_the_tick()
    {
        var n = (await Parse(Edit(j => j.Replace("2026-11-20T08:00:00.0000000Z", "2026-11-20T08:00:00.123456789Z")))).Notification!;
        Assert.Equal(Payloads.Start.AddTicks(1234567), n.Alerts[0].StartsAt);
    }

    [Fact]
    public async Task keeps_an_instant_written_with_an_offset_in_utc()
    {
        var n = (await Parse(Edit(j => j.Replace("2026-11-20T08:00:00.0000000Z", "2026-11-20T16:00:00.5+08:00")))).Notification!;
        Assert.Equal((Payloads.Start.AddMilliseconds(500), TimeSpan.Zero), (n.Alerts[0].StartsAt, n.Alerts[0].StartsAt.Offset));
    }

    [Fact]
    public async Task ignores_fields_newer_alertmanagers_add()
    {
        var json = Edit(j => j.Replace("\"version\":\"4\"", "\"version\":\"4\",\"notification_reason\":\"repeat\",\"routeLabels\":{\"team\":\"a\"}"));
        Assert.True((await Parse(json)).IsValid);
    }

    [Theory]
    [InlineData("{not json", "body")]
    [InlineData("[1,2]", "body")]
    [InlineData("\"version\":\"4\"|\"version\":\"3\"", "version")]
    [InlineData("\"version\":\"4\",|", "version")]
    [InlineData("\"groupKey\":|\"groupKeyX\":", "groupKey")]
    [InlineData("\"status\":\"firing\",\"alerts\"|\"status\":\"burning\",\"alerts\"", "status")]
    [InlineData("2026-11-20T08:00:00.0000000Z|yesterday", "alerts[0].startsAt")]
    [InlineData("0001-01-01T00:00:00Z|2026-13-01", "alerts[0].endsAt")]
    [InlineData("\"fingerprint\":\"fp1\"|\"fingerprint\":\"\"", "alerts[0].fingerprint")]
    [InlineData("\"truncatedAlerts\":0|\"truncatedAlerts\":-1", "truncatedAlerts")]
    [InlineData("\"labels\":{|\"labelz\":{", "alerts[0].labels")]
    public async Task names_the_field_that_is_wrong(string edit, string field)
    {
        string json;
        if (!edit.Contains('|')) json = edit;
        else
        {
            var parts = edit.Split('|');
            json = Edit(j => j.Replace(parts[0], parts[1]));
            Assert.NotEqual(Payloads.Firing("fp1"), json);
        }
        var result = await Parse(json);
        Assert.False(result.IsValid);
        Assert.Contains(field, result.Errors.Keys);
    }

    [Theory]
    [InlineData("\"fingerprint\":\"fp1\"|\"fingerprint\":7", "alerts[0].fingerprint", "must be a string.")]
    [InlineData("\"service\":\"checkout\",\"severity\"|\"service\":1,\"severity\"", "alerts[0].labels.service", "must be a string.")]
    [InlineData("\"service\":\"checkout\",\"severity\"|\"service\":null,\"severity\"", "alerts[0].labels.service", "must be a string.")]
    [InlineData("\"commonAnnotations\":{|\"commonAnnotations\":[],\"x\":{", "commonAnnotations", "must be an object of strings.")]
    [InlineData("\"truncatedAlerts\":0|\"truncatedAlerts\":1.5", "truncatedAlerts", "must be a whole number, zero or more.")]
    [InlineData("\"alerts\":[|\"alerts\":[null,", "alerts[0]", "must be an object.")]
    [InlineData("\"alerts\":[|\"alerts\":\"none\",\"x\":[", "alerts", "must be an array.")]
    [InlineData("2026-11-20T08:00:00.0000000Z|yesterday", "alerts[0].startsAt", "\"yesterday\" is not an RFC 3339 timestamp.")]
    [InlineData("\"startsAt\":\"2026-11-20T08:00:00.0000000Z\"|\"startsAt\":1795000000", "alerts[0].startsAt", "must be a string.")]
    [InlineData("\"startsAt\":\"2026-11-20T08:00:00.0000000Z\"|\"startsAt\":null", "alerts[0].startsAt", "is required.")]
    [InlineData("2026-11-20T08:00:00.0000000Z|0001-01-01T00:00:00Z", "alerts[0].startsAt", "is required.")]
    [InlineData("\"receiver\":\"sre\",|", "receiver", "is required.")]
    [InlineData("\"version\":\"4\"|\"version\":\"\"", "version", "must not be empty.")]
    [InlineData("\"alerts\":[{|\"alerts\":[],\"x\":[{", "alerts", "must hold at least one alert.")]
    public async Task says_what_is_wrong_with_the_field(string edit, string field, string message)
    {
        var parts = edit.Split('|');
        var json = Edit(j => j.Replace(parts[0], parts[1]));
        Assert.NotEqual(Payloads.Firing("fp1"), json);

        var result = await Parse(json);

        Assert.Equal([message], result.Errors.GetValueOrDefault(field) ?? []);
    }

    [Theory]
    [InlineData("2026-11-20T08:00:00.0000000")]
    [InlineData("2026-11-20T08:00Z")]
    [InlineData("2026-11-20")]
    [InlineData("2026-11-20T08:00:00+08")]
    [InlineData("2026-11-20T08:00:00.Z")]
    public async Task refuses_a_time_that_is_not_rfc_3339_though_iso_8601_allows_it(string time)
    {
        var result = await Parse(Edit(j => j.Replace("2026-11-20T08:00:00.0000000Z", time)));
        Assert.Equal([$"\"{time}\" is not an RFC 3339 timestamp."], result.Errors.GetValueOrDefault("alerts[0].startsAt") ?? []);
    }

    [Theory]
    [InlineData("{\"version\":\"4\",\"alerts\":[{\"status\":")]
    [InlineData("")]
    public async Task a_body_cut_short_is_not_json(string json)
    {
        var result = await Parse(json);
        Assert.StartsWith("is not JSON", Assert.Single(result.Errors.GetValueOrDefault("body") ?? []));
    }
}
