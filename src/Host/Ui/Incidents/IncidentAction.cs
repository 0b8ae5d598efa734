using Marten;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Incidents;
using Sre.Host.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Ui.Incidents;

/// <summary>What an action of the incident page came to: done, or refused with the status the API would answer and why.</summary>
public sealed record ActionOutcome(int Status, string? Error)
{
    public static readonly ActionOutcome Done = new(StatusCodes.Status200OK, null);
    public bool Succeeded => Error is null;
}

/// <summary>
/// Runs an incident command of the API from the incident page, through the same steps the API's aggregate workflow puts
/// around it (<see cref="IncidentCommands"/>): the command's own Validate (400), the incident loaded for writing (404),
/// the version the page was rendered at against the incident's (<see cref="IncidentCommands.Before"/>: 409), its
/// alerts, the endpoint's own decision (a refusal is 409 with its reason), the events appended and committed (a
/// concurrent commit since the load: 409). Nothing is stored unless the outcome is <see cref="ActionOutcome.Done"/>.
/// </summary>
public static class IncidentAction
{
    public static async Task<ActionOutcome> Run<TCommand>(
        TCommand command, Guid id, IDocumentSession session, HttpContext http, ProblemDetails validation,
        Func<Incident, IReadOnlyList<IncidentAlert>, Task<Decision>> decide) where TCommand : IIncidentCommand
    {
        var ct = http.RequestAborted;
        if (!ReferenceEquals(validation, WolverineContinue.NoProblems)) return Refused(validation);
        var stream = await session.Events.FetchForWriting<Incident>(id, ct);
        if (stream.Aggregate is not { } incident) return new ActionOutcome(StatusCodes.Status404NotFound, $"No incident {id}.");
        if (IncidentCommands.Before(command, incident, http) is var before && !ReferenceEquals(before, WolverineContinue.NoProblems))
            return Refused(before, " Reload the page to see what changed.");
        var alerts = await IncidentCommands.AlertsAsync(incident, session, ct);
        var decision = await decide(incident, alerts);
        if (decision.Refusal is { } refusal) return new ActionOutcome(StatusCodes.Status409Conflict, refusal.Reason);
        IncidentCommands.Append(stream, decision, session);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (TransientFaults.IsConcurrencyConflict(e))
        {
            return new ActionOutcome(StatusCodes.Status409Conflict, "The incident changed while this was being saved. Reload the page and try again.");
        }
        return ActionOutcome.Done;
    }

    private static ActionOutcome Refused(ProblemDetails problem, string? advice = null) =>
        new(problem.Status ?? StatusCodes.Status400BadRequest, (problem.Detail ?? problem.Title) + advice);
}
