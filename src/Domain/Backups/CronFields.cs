using System.Numerics;
using System.Text.RegularExpressions;

namespace Sre.Domain.Backups;

/// <summary>One field of a five-field cron schedule: its name in messages, its bounds and the names it takes.</summary>
public sealed record CronField(string Name, int Min, int Max, IReadOnlyList<string>? Names = null)
{
    public static readonly CronField Minute = new("minute", 0, 59);
    public static readonly CronField Hour = new("hour", 0, 23);
    public static readonly CronField DayOfMonth = new("day-of-month", 1, 31);
    public static readonly CronField Month = new("month", 1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]);
    public static readonly CronField DayOfWeek = new("day-of-week", 0, 6, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]);

    public static readonly IReadOnlyList<CronField> Standard = [Minute, Hour, DayOfMonth, Month, DayOfWeek];
}

/// <summary>
/// The values one cron field names, read with the grammar of robfig/cron v3 (what Kubernetes CronJobs and Velero
/// schedules run on): a comma list of <c>*</c> or <c>?</c>, a number or a name, or a range <c>a-b</c>, each with an
/// optional <c>/step</c> (<c>a/step</c> runs from a to the field's maximum). <see cref="Star"/> is robfig's star bit:
/// some element is <c>*</c> or <c>?</c> with no step above 1; it decides how the two day fields combine.
/// </summary>
public sealed record CronFieldValues(IReadOnlyList<int> Values, bool Star)
{
    private static readonly Regex GoInt = new(@"^[+-]?[0-9]+$", RegexOptions.CultureInvariant);

    public static CronFieldValues? Read(string text, CronField field, out string? error)
    {
        error = null;
        var bits = BigInteger.Zero;
        var star = false;
        var elements = text.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (elements.Length == 0) error = $"{field.Name}: '{text}' names no value.";
        foreach (var element in elements)
        {
            if (error is not null) break;
            error = Element(element, field, ref bits, ref star);
        }
        if (error is not null) return null;
        var values = Enumerable.Range(field.Min, field.Max - field.Min + 1).Where(v => !(bits & (BigInteger.One << v)).IsZero).ToList();
        return new CronFieldValues(values, star);
    }

    private static string? Element(string element, CronField field, ref BigInteger bits, ref bool star)
    {
        var rangeAndStep = element.Split('/');
        if (rangeAndStep.Length > 2) return $"{field.Name}: too many slashes in '{element}'.";
        var lowAndHigh = rangeAndStep[0].Split('-');
        long start, end, step = 1;
        // As in robfig/cron: a star ignores what follows its hyphen.
        var isStar = lowAndHigh[0] is "*" or "?";
        if (isStar) (start, end) = (field.Min, field.Max);
        else
        {
            if (Number(lowAndHigh[0], field, field.Names, out start) is { } e1) return e1;
            end = start;
            if (lowAndHigh.Length > 2) return $"{field.Name}: too many hyphens in '{element}'.";
            if (lowAndHigh.Length == 2 && Number(lowAndHigh[1], field, field.Names, out end) is { } e2) return e2;
        }
        if (rangeAndStep.Length == 2)
        {
            if (Number(rangeAndStep[1], field, null, out step) is { } e3) return e3;
            if (lowAndHigh.Length == 1) end = field.Max;
            if (step > 1) isStar = false;
        }
        if (start < field.Min) return $"{field.Name}: {start} in '{element}' is below the minimum {field.Min}.";
        if (end > field.Max)
            return $"{field.Name}: {end} in '{element}' is above the maximum {field.Max}{(field == CronField.DayOfWeek ? " (Sunday is 0, not 7)" : "")}.";
        if (start > end) return $"{field.Name}: the range '{element}' begins after it ends.";
        if (step == 0) return $"{field.Name}: the step in '{element}' must be a positive number.";
        for (var v = start; v <= end; v += step) bits |= BigInteger.One << (int)v;
        star |= isStar;
        return null;
    }

    private static string? Number(string text, CronField field, IReadOnlyList<string>? names, out long value)
    {
        value = 0;
        var name = names?.ToList().IndexOf(text.ToLowerInvariant()) ?? -1;
        if (name >= 0)
        {
            value = name + field.Min;
            return null;
        }
        if (!GoInt.IsMatch(text) || !long.TryParse(text, out value))
            return $"{field.Name}: '{text}' is not a number{(names is null ? "" : " or a name such as " + names[1])}.";
        return value < 0 ? $"{field.Name}: {value} is negative." : null;
    }
}
