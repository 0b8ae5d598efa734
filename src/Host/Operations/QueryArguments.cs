using Sre.Domain.Time;

namespace Sre.Host.Operations;

/// <summary>Reads query-string arguments and collects what is wrong with them, by name.</summary>
public sealed class QueryArguments
{
    public Dictionary<string, string[]> Errors { get; } = new();

    public bool IsValid => Errors.Count == 0;

    public DateTimeOffset? Time(string name, string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (Rfc3339.TryParse(text, out var time)) return time;
        Errors[name] = [Rfc3339.Invalid(text)];
        return null;
    }

    public TimeSpan Window(string name, string? text, TimeSpan fallback)
    {
        if (string.IsNullOrEmpty(text)) return fallback;
        if (PromDuration.TryParse(text, out var window)) return window;
        Errors[name] = [$"\"{text}\" is not a duration such as 30d, 12h or 1w."];
        return fallback;
    }

    public int Number(string name, int? value, int fallback, int min, int max)
    {
        if (value is null) return fallback;
        if (value >= min && value <= max) return value.Value;
        Errors[name] = [$"must be between {min} and {max}."];
        return fallback;
    }

    public T? Enum<T>(string name, string? text) where T : struct, System.Enum
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value)) return value;
        Errors[name] = [$"must be one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}."];
        return null;
    }
}
