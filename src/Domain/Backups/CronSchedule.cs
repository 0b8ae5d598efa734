using Cronos;

namespace Sre.Domain.Backups;

/// <summary>
/// A schedule as the scheduler that runs the backups reads it: robfig/cron v3's ParseStandard, which Kubernetes
/// CronJobs and Velero schedules use. Five fields (minute hour day-of-month month day-of-week, day-of-week 0-6),
/// the descriptors @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly and @every &lt;duration&gt;, and an
/// optional <c>CRON_TZ=</c> or <c>TZ=</c> prefix. When both day fields are restricted (neither starts with <c>*</c>
/// or <c>?</c> without a step), a day matches either (Vixie cron's rule); otherwise both.
/// Cronos finds the matching wall-clock times; like robfig, a wall-clock time skipped by a daylight-saving change
/// does not run, and one that happens twice runs twice.
/// </summary>
public sealed partial class CronSchedule
{
    /// <summary>The shortest <c>@every</c> accepted: a backup schedule, not a busy loop (robfig takes down to 1s).</summary>
    public static readonly TimeSpan ShortestEvery = TimeSpan.FromMinutes(1);

    private static readonly Dictionary<string, string> Descriptors = new(StringComparer.Ordinal)
    {
        ["@yearly"] = "0 0 1 1 *", ["@annually"] = "0 0 1 1 *", ["@monthly"] = "0 0 1 * *", ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *", ["@midnight"] = "0 0 * * *", ["@hourly"] = "0 * * * *",
    };

    private readonly CronExpression[] _either;
    private readonly TimeSpan? _every;

    private CronSchedule(CronExpression[] either, TimeSpan? every, string? zone) => (_either, _every, Zone) = (either, every, zone);

    /// <summary>The zone of a <c>CRON_TZ=</c> or <c>TZ=</c> prefix, if the schedule has one.</summary>
    public string? Zone { get; }

    /// <summary>Reads a schedule; the error names the cron field at fault.</summary>
    public static CronSchedule? Read(string? text, out string? error)
    {
        error = null;
        var spec = (text ?? "").Trim();
        string? zone = null;
        if (spec.StartsWith("TZ=", StringComparison.Ordinal) || spec.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            var space = spec.IndexOf(' ');
            if (space < 0) return Refuse($"'{text}' has a time zone prefix and no schedule after it.", out error);
            zone = spec[(spec.IndexOf('=') + 1)..space];
            if (!BackupSchedule.TryZone(zone, out _)) return Refuse($"'{zone}' in the prefix is not an IANA time zone.", out error);
            spec = spec[space..].Trim();
        }
        if (spec.StartsWith('@'))
        {
            if (Descriptors.TryGetValue(spec, out var fields)) spec = fields;
            else if (spec.StartsWith("@every ", StringComparison.Ordinal))
                return GoDuration.Parse(spec["@every ".Length..]) is not { } every
                    ? Refuse($"'{spec}': '{spec["@every ".Length..]}' is not a duration such as 6h or 1h30m.", out error)
                    : every < ShortestEvery
                        ? Refuse($"'{spec}' runs more often than every {ShortestEvery.TotalMinutes:0}m.", out error)
                        : new CronSchedule([], TimeSpan.FromSeconds(Math.Floor(every.TotalSeconds)), zone);
            else return Refuse($"'{spec}' is not one of {string.Join(", ", Descriptors.Keys)} or @every <duration>.", out error);
        }

        var parts = spec.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5) return Refuse($"'{text}' has {parts.Length} fields; a cron schedule has five: minute hour day-of-month month day-of-week.", out error);
        var values = new CronFieldValues[5];
        for (var i = 0; i < 5; i++)
            if (CronFieldValues.Read(parts[i], CronField.Standard[i], out error) is { } v) values[i] = v;
            else return null;

        string List(int i) => string.Join(',', values[i].Values);
        var (minute, hour, dom, month, dow) = (List(0), List(1), List(2), List(3), List(4));
        // robfig/cron's dayMatches: a star in either day field makes the day fields AND, else OR.
        var either = values[2].Star || values[4].Star
            ? new[] { $"{minute} {hour} {dom} {month} {dow}" }
            : [$"{minute} {hour} {dom} {month} *", $"{minute} {hour} * {month} {dow}"];
        return new CronSchedule(either.Select(e => CronExpression.Parse(e, CronFormat.Standard)).ToArray(), null, zone);
    }

    /// <summary>A schedule stored before the service read schedules as robfig/cron does, read as it was then (Cronos).</summary>
    public static CronSchedule? Legacy(string text)
    {
        try
        {
            return new CronSchedule([CronExpression.Parse(text.Trim(), CronFormat.Standard)], null, null);
        }
        catch (CronFormatException)
        {
            return null;
        }
    }

    private static CronSchedule? Refuse(string message, out string? error)
    {
        error = message;
        return null;
    }
}
