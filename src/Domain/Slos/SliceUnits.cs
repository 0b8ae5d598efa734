namespace Sre.Domain.Slos;

/// <summary>One observation as the budgeting method sees it.</summary>
public sealed record SliceUnit(DateTimeOffset Start, DateTimeOffset End, decimal Good, decimal Total);

/// <summary>Turns observations into what the budget counts, and tallies them by budgeting method.</summary>
public static class SliceUnits
{
    /// <summary>Rate SLIs judge each slice against the rate rule (a slice of n minutes is n good of n, or 0 of n); others keep their counts.</summary>
    public static IReadOnlyList<SliceUnit> Of(SloDefinition def, IReadOnlyList<SliceObservation> slices)
    {
        if (def.Sli.Kind != SliKind.Rate || def.Sli.Rate is not { } rule)
            return slices.Select(s => new SliceUnit(s.Start, s.End, s.Good, s.Total)).ToList();

        double PerMinute(SliceObservation s) => s.Total / (s.End - s.Start).TotalMinutes;
        return slices.Select(s =>
        {
            var rate = PerMinute(s);
            var good = rate >= rule.MinPerMinute;
            if (good && rule is { MaxDrop: { } drop, DropWindow: { } back })
            {
                var earlier = slices.LastOrDefault(p => p.End <= s.End - back);
                if (earlier is not null && rate < PerMinute(earlier) * (1 - drop)) good = false;
            }
            // Judged per minute: a slice counts its minutes, all good or all bad.
            var minutes = (decimal)(s.End - s.Start).Ticks / TimeSpan.TicksPerMinute;
            return new SliceUnit(s.Start, s.End, good ? minutes : 0, minutes);
        }).ToList();
    }

    public static Tally Tally(Budgeting budgeting, IEnumerable<SliceUnit> units)
    {
        decimal good = 0, total = 0;
        foreach (var u in Counted(budgeting, units))
        {
            good += u.Good;
            total += u.Total;
        }
        return new Tally(good, total);
    }

    /// <summary>
    /// What the budget counts, as units to sum: events for Occurrences; for the timeslice methods one unit per
    /// slice of SliceLength (aligned to the Unix epoch, ending at its last observation): good 1 or 0 for
    /// Timeslices, the slice's ratio for RatioTimeslices. A slice with no valid events is no data.
    /// </summary>
    public static IEnumerable<SliceUnit> Counted(Budgeting budgeting, IEnumerable<SliceUnit> units)
    {
        if (budgeting.Method == BudgetingMethod.Occurrences) return units;
        var length = budgeting.SliceLength!.Value.Ticks;
        return units
            .GroupBy(u => (u.End.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks - 1) / length)
            .Select(g => (Start: g.Min(u => u.Start), End: g.Max(u => u.End), Good: g.Sum(u => u.Good), Total: g.Sum(u => u.Total)))
            .Where(s => s.Total > 0)
            .Select(s => new SliceUnit(s.Start, s.End,
                budgeting.Method == BudgetingMethod.Timeslices
                    ? (s.Good >= ErrorBudget.Exact(budgeting.SliceTarget!.Value) * s.Total ? 1 : 0) // good ÷ total ≥ slice target, exactly
                    : s.Good / s.Total,
                1));
    }
}
