namespace Sre.Host.Ui;

/// <summary>How the pages read their URL's values: blank is absent, a flag is on as a checkbox sends it.</summary>
public static class QueryText
{
    public static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public static bool Flag(string? value) => value is "true" or "on" or "1";
}
