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
    /// <remarks>Alertmanager presents an API key with the ingest scope (http_config.authorization): see ApiKeyGate.</remarks>
    [WolverinePost("/api/v1/alertmanager/webhook")]
    public static async Task<IResult> Post(HttpContext http, AlertIngestor ingestor)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var parsed = NotificationParser.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Guid.CreateVersion7());
        if (!parsed.IsValid) return Problems.Invalid(parsed.Errors);

        // The actor of what the notification records is the key Alertmanager presented.
        var result = await ingestor.Submit(parsed.Notification! with { By = Actor.Of(http, null) }, http.RequestAborted);
        return Results.Ok(new { appended = result.EventsAppended, incidents = result.Incidents });
    }
}
