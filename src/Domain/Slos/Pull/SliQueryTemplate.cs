using System.Text.RegularExpressions;
using Sre.Domain.Time;

namespace Sre.Domain.Slos.Pull;

/// <summary>
/// SLI queries are written as Sloth writes them: PromQL with a <c>{{.window}}</c> placeholder for the range of
/// <c>rate()</c> or <c>increase()</c> (for example <c>sum(rate(istio_requests_total{reporter="destination"}[{{.window}}]))</c>).
/// The same text serves the generated recording rules (window 5m, 30m, 1h...) and the pull (window = slice length).
/// </summary>
public static partial class SliQueryTemplate
{
    [GeneratedRegex(@"\{\{\s*\.window\s*\}\}")]
    private static partial Regex Window();

    /// <summary>True when the query has the placeholder.</summary>
    public static bool HasWindow(string query) => Window().IsMatch(query);

    /// <summary>The query with every <c>{{.window}}</c> (spaces inside the braces allowed) replaced by the duration, as Prometheus writes it.</summary>
    public static string Render(string query, TimeSpan window) => Window().Replace(query, PromDuration.Format(window));
}
