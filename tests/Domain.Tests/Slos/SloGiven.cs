using Sre.Domain.Slos;

namespace Sre.Domain.Tests.Slos;

public static class SloGiven
{
    public static readonly DateTimeOffset Defined = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    public static SloDefinition Availability(double target = 0.999, SloWindow? window = null, Budgeting? budgeting = null,
        AlertingOptions? alerting = null) =>
        new("checkout-availability", "checkout", null, new SliSpec(SliKind.Availability), target,
            window ?? SloWindow.Rolling(TimeSpan.FromDays(30)), budgeting ?? Budgeting.Occurrences, new(), alerting ?? AlertingOptions.Default);

    /// <summary>One slice a minute from <paramref name="from"/> for <paramref name="minutes"/>, with the given errors per minute.</summary>
    public static IEnumerable<SliceObservation> Minutes(DateTimeOffset from, int minutes, long total, long bad) =>
        Enumerable.Range(0, minutes).Select(i => new SliceObservation(from.AddMinutes(i), from.AddMinutes(i + 1), total - bad, total));
}
