using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Incidents;

public sealed record IncidentPage(IReadOnlyList<Incident> Items, int Page, int PageSize, long Total);

/// <summary>
/// Which incidents a list shows: status, service, severity, a label (<c>key=value</c>) and the opening time in
/// [from, to]; every part optional. The API's list and the UI's list and CSV filter through this one.
/// </summary>
public sealed record IncidentFilter(
    IncidentStatus? Status = null, string? Service = null, string? Severity = null, string? Label = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    public IQueryable<Incident> Apply(IQueryable<Incident> query)
    {
        if (Status is { } s) query = query.Where(i => i.Status == s);
        if (!string.IsNullOrEmpty(Service)) query = query.Where(i => i.Service == Service);
        if (!string.IsNullOrEmpty(Severity)) query = query.Where(i => i.Severity == Severity);
        if (Label?.Split('=', 2) is [var key, var value]) query = query.Where(i => i.Labels[key] == value);
        if (From is { } f) query = query.Where(i => i.Opened.At >= f);
        if (To is { } t) query = query.Where(i => i.Opened.At <= t);
        return query;
    }

    /// <summary>
    /// The page asked for, newest first, and the number of incidents of the filter. Two queries, not Marten's paged list:
    /// its total is a window function over every matching row, which sorts all of them for each page (two seconds a page
    /// at 100,000 incidents, bench/ui); apart, the page reads 50 rows down the opening time's index.
    /// </summary>
    public async Task<IncidentPage> Page(IQuerySession session, int page, int pageSize, CancellationToken ct) =>
        new(await Items(session, page, pageSize, ct), page, pageSize, await Apply(session.Query<Incident>()).LongCountAsync(ct));

    /// <summary>The incidents of a page, newest first (ties by id, so that pages neither skip nor repeat one).</summary>
    public async Task<IReadOnlyList<Incident>> Items(IQuerySession session, int page, int pageSize, CancellationToken ct) =>
        await Apply(session.Query<Incident>()).OrderByDescending(i => i.Opened.At).ThenByDescending(i => i.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
}

/// <summary>
/// Incidents newest first, filtered by status, service, severity, a label (<c>label=team=payments</c>) and opening
/// time, a page at a time (<c>page</c> from 1, <c>pageSize</c> 1 to 500, default 50); 400 naming the parameter otherwise.
/// </summary>
public static class ListIncidentsEndpoint
{
    public static ProblemDetails Validate(int? page, int? pageSize, string? label) =>
        label is not null && !label.Contains('=') ? Problems.InvalidDetails("label", "must be key=value.")
            : Problems.OutOfRange(("page", page, 1, 1_000_000), ("pageSize", pageSize, 1, 500));

    [WolverineGet("/api/v1/incidents")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        IQuerySession session, HttpContext http,
        QueryEnum<IncidentStatus>? status, string? service, string? severity, string? label, Instant? from, Instant? to, int? page, int? pageSize) =>
        Results.Ok(await new IncidentFilter(status?.Value, service, severity, label, from?.Value, to?.Value)
            .Page(session, page ?? 1, pageSize ?? 50, http.RequestAborted));
}
