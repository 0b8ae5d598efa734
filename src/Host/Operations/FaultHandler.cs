using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Sre.Host.Operations;

/// <summary>
/// Maps faults to the status a client can act on: 503 (retry later) when the database is unavailable,
/// 409 when a concurrent writer changed the stream first, 500 for bugs. Alertmanager retries only 5xx,
/// so a transient fault must never answer 4xx.
/// </summary>
public sealed class FaultHandler(IProblemDetailsService problems, ILogger<FaultHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title) = exception switch
        {
            // First: a request the server refused (a body over its limit) is an IOException too, never a transient fault.
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read."),
            _ when TransientFaults.IsConcurrencyConflict(exception) =>
                (StatusCodes.Status409Conflict, "A concurrent change was committed first; read the current version and retry."),
            _ when TransientFaults.IsTransient(exception) =>
                (StatusCodes.Status503ServiceUnavailable, "The event store is unavailable; retry later."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred."),
        };
        if (status >= 500) logger.LogError(exception, "{Method} {Path} failed: {Status}", http.Request.Method, http.Request.Path, status);

        http.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            // A body the server refused as it was read (over Kestrel's MaxRequestBodySize) says what the limit is.
            ProblemDetails = status == StatusCodes.Status413PayloadTooLarge ? RequestBodies.TooLarge(http) : new ProblemDetails { Status = status, Title = title },
        });
    }
}
