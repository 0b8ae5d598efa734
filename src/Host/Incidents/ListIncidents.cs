using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Incidents;

public sealed record IncidentPage(IReadOnlyList<Incident> Items, int Page, int PageSize, long Total);

/// <summary>Incidents newest first, filtered by status, service, severity and opening time, a page at a time.</summary>
public static class ListIncidentsEndpoint
{
    public static ProblemDetails Validate(int? page, int? pageSize) =>
        Problems.OutOfRange(("page", page, 1, 1_000_000), ("pageSize", pageSize, 1, 500));

    [WolverineGet("/api/v1/incidents")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        IQuerySession session, HttpContext http,
        QueryEnum<IncidentStatus>? status, string? service, string? severity, Instant? from, Instant? to, int? page, int? pageSize)
    {
        var pageNumber = page ?? 1;
        var size = pageSize ?? 50;
        var query = session.Query<Incident>().AsQueryable();
        if (status?.Value is { } s) query = query.Where(i => i.Status == s);
        if (!string.IsNullOrEmpty(service)) query = query.Where(i => i.Service == service);
        if (!string.IsNullOrEmpty(severity)) query = query.Where(i => i.Severity == severity);
        if (from?.Value is { } f) query = query.Where(i => i.Opened.At >= f);
        if (to?.Value is { } t) query = query.Where(i => i.Opened.At <= t);

        var items = await query.OrderByDescending(i => i.Opened.At).ToPagedListAsync(pageNumber, size, http.RequestAborted);
        return Results.Ok(new IncidentPage(items.ToList(), pageNumber, size, items.TotalItemCount));
    }
}
