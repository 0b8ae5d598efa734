namespace Sre.Domain.Slos;

/// <summary>Limits on SLI slices (configuration section "Slos", through the Host's SloPolicyOptions).</summary>
public sealed record ObservationLimits
{
    public TimeSpan MaxSliceLength { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// A slice as a client sends it: good and total events (good is optional for rate SLIs), or, for a threshold SLI, the
/// slice's one <paramref name="Value"/> (judged by the SLI's op and value: one event, good or bad), and for a raw-ratio SLI
/// the ratio itself (<see cref="SliSpec.Events"/>).
/// </summary>
public sealed record ObservedSlice(DateTimeOffset Start, DateTimeOffset End, long Total = 0, long? Good = null, double? Value = null);

public static class ObservationRules
{
    /// <summary>The most events one slice may count: far above any real traffic, and low enough that the exact (decimal)
    /// sums and products of a budget over years of slices stay in range.</summary>
    public const long MaxEvents = 1_000_000_000_000;

    /// <summary>Errors of one slice, keyed by <paramref name="path"/>.field.</summary>
    public static void Check(ObservedSlice s, SliSpec sli, string path, ObservationLimits limits, DateTimeOffset now,
        Dictionary<string, string[]> errors)
    {
        var kind = sli.Kind;
        if (s.Value is { } value)
        {
            if (!sli.IsThreshold && !sli.IsRaw) errors[$"{path}.value"] = ["is the measurement of a threshold SLI or the ratio of a raw-ratio SLI: this SLI counts good and total."];
            else if (!double.IsFinite(value)) errors[$"{path}.value"] = ["must be a finite number."];
            else if (sli.IsRaw && value is < 0 or > 1) errors[$"{path}.value"] = ["a raw ratio is from 0 to 1."];
            if (s.Good is not null || s.Total != 0) errors[$"{path}.value"] = ["give value, or good and total: not both."];
        }
        else if (s.Total is < 0 or > MaxEvents) errors[$"{path}.total"] = [$"must be from 0 to {MaxEvents:N0}."];
        if (kind != SliKind.Rate && s.Good is null && s.Value is null)
            errors[$"{path}.good"] = [sli.IsThreshold || sli.IsRaw ? "is required (or value: the slice's measurement or ratio)." : "is required."];
        if (s.Good < 0) errors[$"{path}.good"] = ["must be 0 or more."];
        if (s.Good > s.Total) errors[$"{path}.good"] = [$"{s.Good} good is more than {s.Total} total."];
        if (s.End <= s.Start) errors[$"{path}.end"] = ["must be after start."];
        else if (s.End - s.Start > limits.MaxSliceLength)
            errors[$"{path}.end"] = [$"the slice is longer than the maximum of {Time.PromDuration.Format(limits.MaxSliceLength)}."];
        if (s.End > now + limits.MaxFutureSkew) errors[$"{path}.end"] = [$"{s.End:O} is in the future."];
    }

    public static SliceObservation ToObservation(ObservedSlice s, SliSpec sli) =>
        s.Value is { } value && sli.Events(value) is var (good, total)
            ? new(s.Start, s.End, good, total)
            : new(s.Start, s.End, s.Good ?? s.Total, s.Total);
}
