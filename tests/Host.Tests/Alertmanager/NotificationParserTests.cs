using System.Text;
using Sre.Host.Alertmanager;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Alertmanager;

public class NotificationParserTests
{
    private static NotificationParser.Result Parse(string json) => NotificationParser.Parse(Encoding.UTF8.GetBytes(json), Guid.NewGuid());

    private static string Edit(Func<string, string> change) => change(Payloads.Firing("fp1"));

    [Fact]
    public void reads_a_notification_as_alertmanager_sends_it()
    {
        var result = Parse(Payloads.Notification([new Payloads.AlertSpec("fp1"), new Payloads.AlertSpec("fp2", "resolved", EndsAt: Payloads.Start.AddMinutes(5))], 2));
        var n = result.Notification!;
        Assert.Equal(("4", "sre", 2, 2), ("4", n.Receiver, n.TruncatedAlerts, n.Alerts.Count));
        Assert.Null(n.Alerts[0].EndsAt);
        Assert.Equal(Payloads.Start.AddMinutes(5), n.Alerts[1].EndsAt);
        Assert.Equal("checkout", n.CommonLabels["service"]);
    }

    [Fact]
    public void keeps_nanosecond_timestamps_to_the_tick()
    {
        var n = Parse(Edit(j => j.Replace("2026-11-20T08:00:00.0000000Z", "2026-11-20T08:00:00.123456789Z"))).Notification!;
        Assert.Equal(Payloads.Start.AddTicks(1234567), n.Alerts[0].StartsAt);
    }

    [Fact]
    public void ignores_fields_newer_alertmanagers_add()
    {
        var json = Edit(j => j.Replace("\"version\":\"4\"", "\"version\":\"4\",\"notification_reason\":\"repeat\",\"routeLabels\":{\"team\":\"a\"}"));
        Assert.True(Parse(json).IsValid);
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
    public void names_the_field_that_is_wrong(string edit, string field)
    {
        string json;
        if (!edit.Contains('|')) json = edit;
        else
        {
            var parts = edit.Split('|');
            json = Edit(j => j.Replace(parts[0], parts[1]));
            Assert.NotEqual(Payloads.Firing("fp1"), json);
        }
        var result = Parse(json);
        Assert.False(result.IsValid);
        Assert.Contains(field, result.Errors.Keys);
    }
}
