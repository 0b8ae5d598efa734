using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Sre.Domain.Slos.Pull;

namespace Sre.Host.Slos.Prometheus;

/// <summary>Prometheus refused the query for good: bad PromQL (400, <c>bad_data</c>) or a query it cannot run (422, <c>execution</c>).</summary>
public sealed record PrometheusRefusal(int Status, string ErrorType, string Error);

/// <summary>
/// Prometheus's HTTP API (<c>GET /api/v1/query_range</c>), through <see cref="IHttpClientFactory"/> and the standard
/// resilience pipeline (PrometheusSetup): a timeout, 429 or 5xx is retried there with backoff, and what is still failing
/// after the retries is thrown (a fault a later pull can cure). A refusal (400, 422) is answered, not thrown, for the
/// caller to record as the SLO's fault.
/// </summary>
public sealed class PrometheusClient(HttpClient http)
{
    /// <summary>The query's series summed per slice end (<see cref="PrometheusAnswer.SumByInstant"/>), or the refusal.</summary>
    public async Task<(IReadOnlyDictionary<DateTimeOffset, double>? Values, PrometheusRefusal? Refusal)> QueryRange(
        PrometheusSource source, string query, SliceRange range, CancellationToken ct)
    {
        using var request = Request(source, $"/api/v1/query_range?query={Uri.EscapeDataString(query)}"
            + $"&start={PrometheusAnswer.Format(range.FirstEnd)}&end={PrometheusAnswer.Format(range.LastEnd)}"
            + $"&step={range.Step.TotalSeconds}s&timeout={(int)source.QueryTimeout.TotalSeconds}s");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
        {
            var error = await ReadAnswer(response, ct);
            return (null, new PrometheusRefusal((int)response.StatusCode, error?.ErrorType ?? "unknown", error?.Error ?? response.ReasonPhrase ?? ""));
        }
        response.EnsureSuccessStatusCode();
        var answer = await ReadAnswer(response, ct) ?? throw new HttpRequestException("Prometheus answered an empty body.");
        if (answer.Status != "success")
            return (null, new PrometheusRefusal((int)response.StatusCode, answer.ErrorType ?? "unknown", answer.Error ?? ""));
        return (answer.SumByInstant(), null);
    }

    /// <summary>
    /// How long the source keeps data, as it says (<c>GET /api/v1/status/runtimeinfo</c>, <c>storageRetention</c>: "15d",
    /// "15d or 512MiB"); null when it does not say (a retention by size only, or an API without this endpoint: Thanos,
    /// Mimir). A source that cannot be reached throws, as a query does.
    /// </summary>
    public async Task<TimeSpan?> Retention(PrometheusSource source, CancellationToken ct)
    {
        try
        {
            using var request = Request(source, "/api/v1/status/runtimeinfo");
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode) return null;
            var info = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct);
            var text = info.TryGetProperty("data", out var data) && data.TryGetProperty("storageRetention", out var value) ? value.GetString() : null;
            return text?.Split(" or ").Select(part => Domain.Time.PromDuration.TryParse(part.Trim(), out var d) ? d : (TimeSpan?)null)
                .FirstOrDefault(d => d is not null);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>A GET of the source's API at <paramref name="pathAndQuery"/>, signed in as the source says, with its extra headers.</summary>
    private static HttpRequestMessage Request(PrometheusSource source, string pathAndQuery)
    {
        var baseUrl = source.Url?.TrimEnd('/') ?? throw new InvalidOperationException("The Prometheus data source has no URL.");
        var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + pathAndQuery);
        if (source.BearerToken is { Length: > 0 } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else if (source.Username is { Length: > 0 } user)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{source.Password}")));
        foreach (var (name, value) in source.Headers) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    private static async Task<PrometheusAnswer?> ReadAnswer(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<PrometheusAnswer>(ct);
        }
        catch (System.Text.Json.JsonException e)
        {
            // Not Prometheus's API at that URL (an HTML login page, a proxy's error): a fault of the source, not of the query.
            throw new HttpRequestException($"The answer at {response.RequestMessage?.RequestUri?.GetLeftPart(UriPartial.Path)} is not Prometheus's API: {e.Message}");
        }
    }
}
