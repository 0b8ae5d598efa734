namespace Sre.Domain.Slos;

/// <summary>Limits on SLI slices (configuration section "Slos", through the Host's SloPolicyOptions).</summary>
public sealed record ObservationLimits
{
    public TimeSpan MaxSliceLength { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>A slice as a client sends it: good is optional for rate SLIs.</summary>
public sealed record ObservedSlice(DateTimeOffset Start, DateTimeOffset End, long Total, long? Good = null);

public static class ObservationRules
{
    /// <summary>The most events one slice may count: far above any real traffic, and low enough that the exact (decimal)
    /// sums and products of a budget over years of slices stay in range.</summary>
    public const long MaxEvents = 1_000_000_000_000;

    /// <summary>Errors of one slice, keyed by <paramref name="path"/>.field.</summary>
    public static void Check(ObservedSlice s, SliKind kind, string path, ObservationLimits limits, DateTimeOffset now,
        Dictionary<string, string[]> errors)
    {
        if (s.Total is < 0 or > MaxEvents) errors[$"{path}.total"] = [$"must be from 0 to {MaxEvents:N0}."];
        if (kind != SliKind.Rate && s.Good is null) errors[$"{path}.good"] = ["is required."];
        if (s.Good < 0) errors[$"{path}.good"] = ["must be 0 or more."];
        if (s.Good > s.Total) errors[$"{path}.good"] = [$"{s.Good} good is more than {s.Total} total."];
        if (s.End <= s.Start) errors[$"{path}.end"] = ["must be after start."];
        else if (s.End - s.Start > limits.MaxSliceLength)
            errors[$"{path}.end"] = [$"the slice is longer than the maximum of {Time.PromDuration.Format(limits.MaxSliceLength)}."];
        if (s.End > now + limits.MaxFutureSkew) errors[$"{path}.end"] = [$"{s.End:O} is in the future."];
    }

    public static SliceObservation ToObservation(ObservedSlice s) => new(s.Start, s.End, s.Good ?? s.Total, s.Total);
}
