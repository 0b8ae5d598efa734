namespace Sre.Domain.Time;

/// <summary>Count, mean and percentiles of a set of durations, in seconds; null figures when there is no data.</summary>
public sealed record DurationSummary(int Count, double? MeanSeconds, double? P50Seconds, double? P90Seconds)
{
    public static DurationSummary Of(IEnumerable<TimeSpan> durations)
    {
        var seconds = durations.Select(d => d.TotalSeconds).Order().ToArray();
        if (seconds.Length == 0) return new DurationSummary(0, null, null, null);
        return new DurationSummary(seconds.Length, seconds.Average(), Percentile(seconds, 0.5), Percentile(seconds, 0.9));
    }

    /// <summary>Linear interpolation between closest ranks (the definition numpy and spreadsheets use by default).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) throw new ArgumentException("No values.", nameof(sorted));
        var rank = q * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
