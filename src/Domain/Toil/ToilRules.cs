using System.Text.RegularExpressions;

namespace Sre.Domain.Toil;

/// <summary>Parsing and checking what people send about toil; each error is keyed by the field it is about.</summary>
public static partial class ToilRules
{
    public const int MaxMinutes = 7 * 24 * 60;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")]
    private static partial Regex KeyPattern();

    /// <summary>"production interrupts", "production-interrupts", "productionInterrupts" all name the same category.</summary>
    public static ToilCategory? ParseCategory(string? text) => Normalise(text) switch
    {
        "troubleshootingofopaquearchitectures" => ToilCategory.Troubleshooting,
        "costengineering" or "capacityplanning" => ToilCategory.CostEngineeringAndCapacityPlanning,
        var n => Enum.GetValues<ToilCategory>().Cast<ToilCategory?>().FirstOrDefault(c => c.ToString()!.ToLowerInvariant() == n),
    };

    public static ToilTrait? ParseTrait(string? text) => Normalise(text) switch
    {
        "tactical" => ToilTrait.Reactive,
        "noenduringvalue" or "noenduring" => ToilTrait.NoEnduringValue,
        "growswiththeservice" or "scaleslinearly" => ToilTrait.GrowsWithService,
        var n => Enum.GetValues<ToilTrait>().Cast<ToilTrait?>().FirstOrDefault(c => c.ToString()!.ToLowerInvariant() == n),
    };

    private static string Normalise(string? text) =>
        new((text ?? "").Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());

    public static bool IsName(string? value) => value is not null && KeyPattern().IsMatch(value);

    public static void CheckName(string field, string? value, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) errors[field] = ["is required."];
        else if (!KeyPattern().IsMatch(value))
            errors[field] = ["must be 1 to 100 letters, digits, '.', '_', '/' or '-', starting with a letter or digit."];
    }

    public static void CheckText(string field, string? value, int maxLength, Dictionary<string, string[]> errors)
    {
        if (value is null) return;
        if (value.Length > maxLength) errors[field] = [$"must be at most {maxLength} characters."];
        else if (value.Any(char.IsControl)) errors[field] = ["must not contain control characters."];
    }

    public static void CheckInstant(string field, DateTimeOffset? value, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (value is null) return;
        if (value > now.AddMinutes(5)) errors[field] = [$"{value:O} is in the future."];
        else if (value < new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)) errors[field] = [$"{value:O} is before 2000."];
    }

    /// <summary>The traits named, or errors naming each unknown one.</summary>
    public static IReadOnlyList<ToilTrait> Traits(IReadOnlyList<string>? names, Dictionary<string, string[]> errors)
    {
        var traits = new List<ToilTrait>();
        for (var i = 0; i < (names?.Count ?? 0); i++)
        {
            if (ParseTrait(names![i]) is { } t) traits.Add(t);
            else errors[$"traits[{i}]"] = [$"'{names[i]}' is not one of {string.Join(", ", Enum.GetNames<ToilTrait>())}."];
        }
        return traits.Distinct().ToList();
    }
}
