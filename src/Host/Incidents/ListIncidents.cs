using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Incidents;

public sealed record IncidentPage(IReadOnlyList<Incident> Items, int Page, int PageSize, long Total);

/// <summary>Incidents newest first, filtered by status, service, severity and opening time, a page at a time.</summary>
public static class ListIncidentsEndpoint
{
    [WolverineGet("/api/v1/incidents")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        IQuerySession session, HttpContext http,
        string? status, string? service, string? severity, string? from, string? to, int? page, int? pageSize)
    {
        var args = new QueryArguments();
        var wantedStatus = args.Enum<IncidentStatus>("status", status);
        var since = args.Time("from", from);
        var until = args.Time("to", to);
        var pageNumber = args.Number("page", page, 1, 1, 1_000_000);
        var size = args.Number("pageSize", pageSize, 50, 1, 500);
        if (!args.IsValid) return Problems.Invalid(args.Errors);

        var query = session.Query<Incident>().AsQueryable();
        if (wantedStatus is { } s) query = query.Where(i => i.Status == s);
        if (!string.IsNullOrEmpty(service)) query = query.Where(i => i.Service == service);
        if (!string.IsNullOrEmpty(severity)) query = query.Where(i => i.Severity == severity);
        if (since is { } f) query = query.Where(i => i.Opened.At >= f);
        if (until is { } t) query = query.Where(i => i.Opened.At <= t);

        var items = await query.OrderByDescending(i => i.Opened.At).ToPagedListAsync(pageNumber, size, http.RequestAborted);
        return Results.Ok(new IncidentPage(items.ToList(), pageNumber, size, items.TotalItemCount));
    }
}
