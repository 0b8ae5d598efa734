using System.Globalization;
using System.Text;

namespace Sre.Host.Ui.Incidents;

/// <summary>
/// The incident list as CSV (RFC 4180: comma separated, CRLF line ends, fields quoted when they hold a comma, quote or
/// line break, quotes doubled): id, title, status, severity, service, opened, acknowledged, resolved (ISO 8601 UTC),
/// duration_seconds, budget_spent (a ratio, 0.25 is a quarter of the budget), budget_slo. A field that starts with
/// = + - @ is prefixed with a quote so that a spreadsheet does not run it as a formula (OWASP CSV injection).
/// </summary>
public static class IncidentCsv
{
    public const string Header =
        "id,title,status,severity,service,opened,acknowledged,resolved,duration_seconds,budget_spent,budget_slo";

    public static string Line(IncidentRow row)
    {
        var i = row.Incident;
        return string.Join(',',
            i.Id.ToString(), Field(i.Title), i.Status.ToString().ToLowerInvariant(), Field(i.Severity), Field(i.Service),
            Time(i.Opened.At), Time(i.Acknowledged?.At), Time(i.Resolved?.At),
            ((long)row.Duration.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            row.BudgetSpent?.ToString("R", CultureInfo.InvariantCulture) ?? "", Field(row.SpentOf ?? ""));
    }

    public static string Write(IEnumerable<IncidentRow> rows)
    {
        var csv = new StringBuilder(Header).Append("\r\n");
        foreach (var row in rows) csv.Append(Line(row)).Append("\r\n");
        return csv.ToString();
    }

    private static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";

    public static string Field(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0])) value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
