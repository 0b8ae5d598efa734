using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Ui;

/// <summary>Steps of the UI's page tests: data through the API, pages read as a person would see them.</summary>
public static class UiSteps
{
    /// <summary>Three SLOs two hours into their life: one healthy, one burning slowly, one paging with its budget spent.</summary>
    public static async Task ThreeSlosTwoHoursIn(this HttpClient client, Microsoft.Extensions.Time.Testing.FakeTimeProvider clock)
    {
        await client.DefineSlo(SloSteps.Availability("checkout-availability", 0.999));
        await client.DefineSlo(SloSteps.Availability("search-availability", 0.99, service: "search"));
        await client.DefineSlo(SloSteps.Availability("login-availability", 0.9, service: "login"));
        var start = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromHours(2));
        await client.Observe("checkout-availability", start, 120, total: 1000, bad: 0);
        // Search: clean, then 5% errors over the last 20 minutes (1.67x over the hour, a sixth of the budget left).
        await client.Observe("search-availability", start, 100, total: 1000, bad: 0);
        await client.Observe("search-availability", start.AddMinutes(100), 20, total: 1000, bad: 50);
        // Login: 80% errors against a 90% objective, 8x: a page, the budget spent eight times over.
        await client.Observe("login-availability", start, 120, total: 100, bad: 80);
    }

    public static async Task<Guid> Declare(this HttpClient client, string title, string service, string severity, params string[] slos)
    {
        var response = await client.PostAsJsonAsync("/api/v1/incidents", new { title, service, severity, slos, labels = new { team = "payments" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>The number a cell or tile holds for the machine (<c>data-value</c>), or null when it is empty.</summary>
    public static double? Value(this IElement element) =>
        element.GetAttribute("data-value") is { Length: > 0 } v ? double.Parse(v, CultureInfo.InvariantCulture) : null;

    public static double? Number(this JsonElement json) => json.ValueKind == JsonValueKind.Null ? null : json.GetDouble();

    public static IReadOnlyList<string> Rows(this IDocument page, string attribute) =>
        page.QuerySelectorAll($"tbody tr[{attribute}]").Select(r => r.GetAttribute(attribute)!).ToList();
}
