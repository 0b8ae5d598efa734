using System.Text;
using System.Text.Json;
using Sre.Domain.Time;

namespace Sre.Domain.Tests.Time;

public class Rfc3339Tests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-11-30T10:00:00Z", 0)]
    [InlineData("2026-11-30T10:00:00.123456789Z", 1234567)]
    [InlineData("2026-11-30T10:00:00.1234567890123456Z", 1234567)]
    [InlineData("2026-11-30T18:00:00+08:00", 0)]
    [InlineData("2026-11-30T05:30:00.5-04:30", 5_000_000)]
    [InlineData("2026-11-30t10:00:00z", 0)]
    [InlineData("2026-11-30 10:00:00Z", 0)]
    public void reads_an_instant_with_its_offset_in_utc(string text, long ticks)
    {
        Assert.True(Rfc3339.TryParse(text, out var instant));
        Assert.Equal((At.AddTicks(ticks), TimeSpan.Zero), (instant, instant.Offset));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2026-11-30")]
    [InlineData("2026-11-30T10:00Z")]
    [InlineData("2026-11-30T10:00:00")]
    [InlineData("2026-11-30T10:00:00.123")]
    [InlineData("2026-11-30T10:00:00+08")]
    [InlineData("2026-11-30T10:00:00+0800")]
    [InlineData("2026-11-30T10:00:00.Z")]
    [InlineData("2026-11-30T10:00:00.12345678901234567Z")]
    [InlineData("2026-13-30T10:00:00Z")]
    [InlineData("2026-11-30T24:00:00Z")]
    [InlineData("2026-11-30T10:00:00 08:00")]
    [InlineData("2026-11-30T10:00:00\"Z")]
    [InlineData("2026-11-30T10:00:\\u0030Z")]
    [InlineData("０２０２6-11-30T10:00:00Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    public void refuses_what_is_not_an_rfc_3339_date_time_with_an_offset(string text) => Assert.False(Rfc3339.TryParse(text, out _));

    [Fact]
    public void reads_go_zero_time_as_alertmanager_writes_it_for_an_unknown_end()
    {
        Assert.True(Rfc3339.TryParse("0001-01-01T00:00:00Z", out var zero));
        Assert.Equal(1, zero.Year);
    }

    [Fact]
    public void the_json_converter_reads_as_the_query_strings_are_read_and_says_what_is_wrong()
    {
        var options = new JsonSerializerOptions { Converters = { new UtcInstantJsonConverter() } };
        Assert.Equal(At.AddTicks(1234567), JsonSerializer.Deserialize<DateTimeOffset>("\"2026-11-30T18:00:00.123456789+08:00\"", options));
        Assert.Equal(At, JsonSerializer.Deserialize<DateTimeOffset>("\"2026-11-30T10:00:00\\u005A\"", options));

        var wrong = Assert.Throws<UtcInstantJsonConverter.NotATimestamp>(() =>
            JsonSerializer.Deserialize<Dictionary<string, DateTimeOffset>>("{\"at\":\"2026-11-30T10:00:00\"}", options));
        Assert.Equal(("$.at", "\"2026-11-30T10:00:00\" is not an RFC 3339 timestamp."), (wrong.Path, wrong.Reason));
        Assert.Contains("Path: $.at", wrong.Message);
        Assert.EndsWith(wrong.Reason, wrong.Message);
    }

    [Fact]
    public void reads_utf8_as_it_reads_text()
    {
        Assert.True(Rfc3339.TryParse(Encoding.UTF8.GetBytes("2026-11-30T10:00:00.5Z"), out var instant));
        Assert.Equal(At.AddMilliseconds(500), instant);
    }
}
