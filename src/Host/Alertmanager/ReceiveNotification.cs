using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Sre.Contracts;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Alertmanager;

/// <summary>
/// Alertmanager's webhook. Delivery is at least once: 2xx only after the commit, 2xx with nothing
/// appended for a repeat, 5xx (via <see cref="FaultHandler"/>) for a fault a retry can cure, and 4xx only
/// for a notification that can never succeed.
/// </summary>
public static class ReceiveNotificationEndpoint
{
    /// <summary>
    /// The payload, read from the body once, as it arrives (no copy of it is buffered first); a body over Kestrel's
    /// limit throws as it is read, which <see cref="FaultHandler"/> answers 413.
    /// </summary>
    public static Task<(AlertmanagerNotification?, ProblemDetails)> LoadAsync(HttpContext http) =>
        NotificationPayload.ReadAsync(http.Request.Body, http.RequestAborted);

    public static ProblemDetails Validate([NotBody] AlertmanagerNotification notification) => NotificationPayload.Validate(notification);

    /// <remarks>
    /// Alertmanager presents an API key with the ingest scope (http_config.authorization). Never rate limited:
    /// Alertmanager drops a notification answered 429.
    /// </remarks>
    [WolverinePost("/api/v1/alertmanager/webhook")]
    [Authorize(Policies.Ingest)]
    [DisableRateLimiting]
    public static async Task<IResult> Post([NotBody] AlertmanagerNotification notification, HttpContext http, AlertIngestor ingestor)
    {
        // The actor of what the notification records is the key Alertmanager presented.
        var received = NotificationPayload.ToNotification(notification, Guid.CreateVersion7()) with { By = Actor.Of(http, null) };
        var result = await ingestor.Submit(received, http.RequestAborted);
        return Results.Ok(new { appended = result.EventsAppended, incidents = result.Incidents });
    }
}
