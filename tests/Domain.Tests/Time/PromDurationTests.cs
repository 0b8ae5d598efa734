using Sre.Domain.Time;

namespace Sre.Domain.Tests.Time;

public class PromDurationTests
{
    [Theory]
    [InlineData("30d", 30 * 24 * 3600)]
    [InlineData("4w", 28 * 24 * 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("90s", 90)]
    [InlineData("1y", 365 * 24 * 3600)]
    public void parses_prometheus_durations(string text, double seconds)
    {
        Assert.True(PromDuration.TryParse(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("d")]
    [InlineData("1m1h")]
    [InlineData("-1d")]
    [InlineData("0s")]
    public void refuses_what_prometheus_refuses(string text) => Assert.False(PromDuration.TryParse(text, out _));

    [Fact]
    public void formats_in_days_hours_and_minutes()
    {
        Assert.Equal("1d2h", PromDuration.Format(TimeSpan.FromHours(26)));
        Assert.Equal("30d", PromDuration.Format(TimeSpan.FromDays(30)));
        Assert.Equal("1m30s", PromDuration.Format(TimeSpan.FromSeconds(90)));
    }
}
