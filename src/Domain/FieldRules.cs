using System.Text.RegularExpressions;

namespace Sre.Domain;

/// <summary>Checks of plain fields shared by every capability: names, free text, instants; errors keyed by field.</summary>
public static partial class FieldRules
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")]
    private static partial Regex KeyPattern();

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
}
