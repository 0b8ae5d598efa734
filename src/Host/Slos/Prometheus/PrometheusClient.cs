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
    /// <summary>
    /// <see cref="QueryRange"/>, with a range Prometheus finds too large (422 <c>execution</c>, "query processing would load
    /// too many samples into memory": a matter of the range's length and the series' number, not of the PromQL) asked for
    /// in halves, down to one slice; a single slice still refused is the refusal.
    /// </summary>
    public async Task<(IReadOnlyDictionary<DateTimeOffset, double>? Values, PrometheusRefusal? Refusal)> QueryRangeInParts(
        PrometheusSource source, string query, SliceRange range, CancellationToken ct)
    {
        var (values, refusal) = await QueryRange(source, query, range, ct);
        if (refusal is not { ErrorType: "execution" } || !refusal.Error.Contains("too many samples", StringComparison.OrdinalIgnoreCase) || range.Count < 2)
            return (values, refusal);
        var half = range.Count / 2;
        var firstHalf = range with { LastEnd = range.FirstEnd + range.Step * (half - 1) };
        var secondHalf = range with { FirstEnd = range.FirstEnd + range.Step * half };
        var (first, firstRefusal) = await QueryRangeInParts(source, query, firstHalf, ct);
        if (firstRefusal is not null) return (null, firstRefusal);
        var (second, secondRefusal) = await QueryRangeInParts(source, query, secondHalf, ct);
        if (secondRefusal is not null) return (null, secondRefusal);
        return (first!.Concat(second!).ToDictionary(), null);
    }

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
            var text = (await response.Content.ReadFromJsonAsync<RuntimeInfoAnswer>(ct))?.Data?.StorageRetention;
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

/// <summary>The part of <c>/api/v1/status/runtimeinfo</c> the pull reads: <c>{"data":{"storageRetention":"15d"}}</c>.</summary>
public sealed record RuntimeInfoAnswer([property: System.Text.Json.Serialization.JsonPropertyName("data")] RuntimeInfo? Data);

/// <summary>How long Prometheus keeps data, as it writes it ("15d", "15d or 512MiB", "512MiB").</summary>
public sealed record RuntimeInfo([property: System.Text.Json.Serialization.JsonPropertyName("storageRetention")] string? StorageRetention);
