using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.Options;
using Sre.Domain.Incidents;

namespace Sre.Host.Incidents;

/// <summary>An incident as the API shows it: the incident document with its alerts, which are documents of their own.</summary>
public static class IncidentJson
{
    public static async Task<IReadOnlyList<IncidentAlert>> AlertsOf(IQuerySession session, Guid incidentId, CancellationToken ct) =>
        IncidentAlerts.Ordered(await session.Query<IncidentAlert>().Where(a => a.IncidentId == incidentId).ToListAsync(ct));

    public static JsonObject Render(Incident incident, IReadOnlyList<IncidentAlert> alerts, JsonSerializerOptions options)
    {
        var node = JsonSerializer.SerializeToNode(incident, options)!.AsObject();
        node["alerts"] = JsonSerializer.SerializeToNode(alerts, options);
        return node;
    }

    /// <summary>The incident's version as an entity tag: GET answers it, and a command's <c>If-Match</c> names it.</summary>
    public static string ETag(long version) => $"\"{version}\"";

    public static JsonSerializerOptions Options(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
}
