namespace Sre.Domain.Backups;

public sealed partial class CronSchedule
{
    private static readonly TimeSpan Chunk = TimeSpan.FromDays(31);

    /// <summary>
    /// Run times in (from, to], in order. Cron schedules run at the instants whose wall-clock time in the zone
    /// matches; <c>@every</c> runs every period from <paramref name="anchor"/> (when the schedule came into force).
    /// </summary>
    public IEnumerable<DateTimeOffset> Occurrences(TimeZoneInfo zone, DateTimeOffset anchor, DateTimeOffset from, DateTimeOffset to)
    {
        if (_every is { } every)
        {
            var k = from < anchor ? 1 : (from - anchor).Ticks / every.Ticks + 1;
            for (var t = anchor + every * k; t <= to; t += every) yield return t;
            yield break;
        }
        for (var start = from; start < to; start += Chunk)
        {
            var end = start + Chunk < to ? start + Chunk : to;
            foreach (var t in InChunk(zone, start, end)) yield return t;
        }
    }

    /// <summary>The wall-clock matches around (from, to], each mapped to the instants that show it: none in a gap, two in an overlap.</summary>
    private IEnumerable<DateTimeOffset> InChunk(TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        var wallFrom = DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(from, zone).DateTime.AddDays(-1), DateTimeKind.Utc);
        var wallTo = DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(to, zone).DateTime.AddDays(1), DateTimeKind.Utc);
        return _either
            .SelectMany(cron => cron.GetOccurrences(wallFrom, wallTo, fromInclusive: true, toInclusive: true))
            .Distinct()
            .SelectMany(wall => Instants(zone, DateTime.SpecifyKind(wall, DateTimeKind.Unspecified)))
            .Where(t => t > from && t <= to)
            .Distinct()
            .Order();
    }

    private static IEnumerable<DateTimeOffset> Instants(TimeZoneInfo zone, DateTime wall)
    {
        if (zone.IsInvalidTime(wall)) return [];
        if (zone.IsAmbiguousTime(wall)) return zone.GetAmbiguousTimeOffsets(wall).Select(offset => new DateTimeOffset(wall, offset).ToUniversalTime());
        return [new DateTimeOffset(wall, zone.GetUtcOffset(wall)).ToUniversalTime()];
    }
}
