using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain;
using Sre.Domain.Toil;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Toil;

public static class RecordToilEndpoint
{
    /// <summary>Minutes of toil; 201 with the entry, 200 with the stored entry for a resend.</summary>
    [WolverinePost("/api/v1/toil")]
    [Authorize(Policies.Write)]
    public static async Task<IResult> Post(Contracts.RecordToil request, IDocumentSession session, TimeProvider clock, HttpContext http)
    {
        var outcome = await ToilWriter.Record(session, request with { By = Actor.Of(http, request.By) }, clock.GetUtcNow(), http.RequestAborted);
        if (outcome.Errors.Count > 0) return Problems.Invalid(outcome.Errors);
        var location = $"/api/v1/toil/{outcome.Entry!.Id}";
        return outcome.Created ? Results.Created(location, outcome.Entry) : Results.Ok(outcome.Entry);
    }
}

/// <summary>The one path that records toil, for the endpoint, the bus consumer and incidents alike.</summary>
public static class ToilWriter
{
    public sealed record Outcome(ToilEntry? Entry, bool Created, Dictionary<string, string[]> Errors);

    public static async Task<Outcome> Record(IDocumentSession session, Contracts.RecordToil t, DateTimeOffset now, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var recorded = Check(t, now, errors);
        if (recorded is null) return new Outcome(null, false, errors);
        if (await session.LoadAsync<ToilEntry>(recorded.EntryId, ct) is { } existing) return new Outcome(existing, false, errors);
        session.Events.StartStream<ToilEntry>(recorded.EntryId, recorded);
        await session.SaveChangesAsync(ct);
        return new Outcome(ToilEntry.Create(recorded) with { Version = 1 }, true, errors);
    }

    public static ToilRecorded? Check(Contracts.RecordToil t, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        FieldRules.CheckName("team", t.Team, errors);
        FieldRules.CheckName("taskKey", t.TaskKey, errors);
        var category = ToilRules.ParseCategory(t.Category);
        if (category is null)
            errors["category"] = [$"must be one of {string.Join(", ", Enum.GetNames<ToilCategory>().Select(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName))}."];
        if (t.Minutes is null) errors["minutes"] = ["is required."];
        else if (t.Minutes is < 1 or > ToilRules.MaxMinutes) errors["minutes"] = [$"must be between 1 and {ToilRules.MaxMinutes} (a week)."];
        FieldRules.CheckInstant("performedAt", t.PerformedAt, now, errors);
        FieldRules.CheckText("who", t.Who, 200, errors);
        FieldRules.CheckText("link", t.Link, 2048, errors);
        FieldRules.CheckText("by", t.By, 200, errors);
        var traits = ToilRules.Traits(t.Traits, errors);
        if (errors.Count > 0) return null;

        var performedAt = t.PerformedAt ?? now;
        var id = t.EntryId ?? ToilEntry.IdFor(t.Team!, t.TaskKey!, performedAt, t.Who, t.Link);
        return new ToilRecorded(id, t.Team!, t.Who, category!.Value, t.TaskKey!, t.Minutes!.Value, performedAt, traits, t.Link, now,
            t.By ?? t.Who ?? "api");
    }
}
