using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Configuration;
using Wolverine.Http;

namespace Sre.Host.Incidents;

/// <summary>The body of an incident command: the version of the incident the caller expects, if it names one.</summary>
public interface IIncidentCommand
{
    long? ExpectedVersion { get; }
}

/// <summary>
/// What every incident command does around its decision, so that a command is one pure method
/// <c>Decision Post(TheCommand command, [WriteAggregate] Incident incident, ...)</c>. Wolverine loads the incident
/// (404 when there is none: <c>IncidentFetchPlan</c> reads the stored document and its version), then, in this order:
/// the caller's version (<see cref="Before"/>: <c>If-Match</c> 412, body <c>expectedVersion</c> 409), the incident's
/// alerts (<see cref="AlertsAsync"/>, read after the incident: an alert committed in between moves the stream, and the
/// append then fails), the decision, its events appended with the version loaded (<see cref="Append"/>, and a second
/// incident's, for a merge, with the version the decision read), Wolverine's
/// commit (a concurrent commit since the load fails it: 409), and only then the answer (<see cref="Answer"/>: a refusal
/// 409, or the new incident with its alerts as GET shows it, and its ETag).
/// </summary>
public static class IncidentCommands
{
    public static ProblemDetails Before(IIncidentCommand command, Incident incident, HttpContext http)
    {
        var version = IncidentJson.ETag(incident.Version);
        if (http.Request.Headers.IfMatch.ToString() is { Length: > 0 } value && value.Trim() != version)
            return Problems.PreconditionFailedDetails($"If-Match {value.Trim()} does not match the incident's version {version}.");
        if (command.ExpectedVersion is { } expected && expected != incident.Version)
            return Problems.ConflictDetails($"Expected version {expected}, but the incident is at version {incident.Version}.");
        return WolverineContinue.NoProblems;
    }

    public static Task<IReadOnlyList<IncidentAlert>> AlertsAsync(Incident incident, IDocumentSession session, CancellationToken ct) =>
        IncidentJson.AlertsOf(session, incident.Id, ct);

    /// <summary>The decision's events on the incident's stream; a second incident's (a merge) on its own, expecting the
    /// version the decision was made on.</summary>
    public static void Append(IEventStream<Incident> stream, Decision decision, IDocumentSession session)
    {
        stream.AppendMany(decision.Events);
        if (decision.Also is { } also) session.Events.Append(also.StreamId, also.Version + also.Events.Count, also.Events.ToArray());
    }

    public static IResult Answer(Decision decision, Incident incident, IReadOnlyList<IncidentAlert> alerts, HttpContext http)
    {
        if (decision.Refusal is { } refusal) return Problems.Conflict(refusal.Reason);
        var updated = IncidentEvolution.Fold(incident, decision.Events) with { Version = incident.Version + decision.Events.Count };
        http.Response.Headers.ETag = IncidentJson.ETag(updated.Version);
        var options = IncidentJson.Options(http);
        return Results.Text(IncidentJson.Render(updated, IncidentAlerts.Fold(alerts, incident.Id, decision.Events), options).ToJsonString(options),
            "application/json");
    }
}

/// <summary>
/// Puts <see cref="IncidentCommands"/> around every endpoint that answers a <see cref="Decision"/> on a
/// <c>[WriteAggregate] Incident</c>. Wolverine's aggregate workflow loads the incident and commits; this adds the steps
/// before the decision (after the load and the endpoint's own Load methods, while its Validate methods move before the
/// load), the append before the commit and the answer after it. An endpoint that answers a Decision without that shape
/// stops the service at start (and <c>codegen write</c>).
/// </summary>
public sealed class IncidentCommandPolicy : IChainPolicy
{
    public void Apply(IReadOnlyList<IChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.OfType<HttpChain>().Where(c => c.Method.Method.ReturnType == typeof(Decision)))
        {
            var incident = chain.Method.Arguments.FirstOrDefault(a => a?.VariableType == typeof(Incident));
            var command = chain.Method.Arguments.FirstOrDefault(a => a?.VariableType.IsAssignableTo(typeof(IIncidentCommand)) == true);
            if (incident is null || command is null)
                throw new InvalidOperationException(
                    $"{chain}: an incident command takes its body (an {nameof(IIncidentCommand)}) and a [WriteAggregate] Incident.");

            ValidateBeforeTheLoad(chain);
            var before = Call(nameof(IncidentCommands.Before), command, incident);
            chain.AddMiddleware(rules, before);
            var alerts = Call(nameof(IncidentCommands.AlertsAsync), incident);
            chain.AddMiddleware(rules, alerts);
            // The endpoint's own alerts parameter (triage decides on them) is these.
            for (var i = 0; i < chain.Method.Arguments.Length; i++)
                if (chain.Method.Method.GetParameters()[i].ParameterType == typeof(IReadOnlyList<IncidentAlert>))
                    chain.Method.Arguments[i] = alerts.ReturnVariable!;

            // First of the postprocessors, so before the commit Wolverine put there with the aggregate workflow.
            chain.Postprocessors.Insert(0, Call(nameof(IncidentCommands.Append), chain.Method.ReturnVariable!));
            // The response is made after the postprocessors so far, the commit among them.
            chain.UseForResponse(Call(nameof(IncidentCommands.Answer), chain.Method.ReturnVariable!, incident, alerts.ReturnVariable!));
        }
    }

    /// <summary>
    /// The endpoint's Validate methods (of the body alone, answering problem details) answer 400 before the incident is
    /// read, so a bad body costs no read and is a 400 whether the incident exists or not. Each moves with the problem
    /// check Wolverine put right after it.
    /// </summary>
    private static void ValidateBeforeTheLoad(HttpChain chain)
    {
        var load = chain.Middleware.FindIndex(f => f.Creates.Any(v => v.VariableType == typeof(IEventStream<Incident>)));
        foreach (var validate in chain.Middleware.OfType<MethodCall>()
                     .Where(m => m.HandlerType == chain.Method.HandlerType && m.Method.Name == "Validate" && m.Method.ReturnType == typeof(ProblemDetails))
                     .ToList())
        {
            var at = chain.Middleware.IndexOf(validate);
            if (at < load) continue;
            var moved = chain.Middleware.GetRange(at, 2);
            chain.Middleware.RemoveRange(at, 2);
            chain.Middleware.InsertRange(load, moved);
            load += moved.Count;
        }
    }

    /// <summary>A call of one of <see cref="IncidentCommands"/>' steps, each argument given to the parameter of its type.</summary>
    private static MethodCall Call(string method, params Variable[] arguments)
    {
        var call = new MethodCall(typeof(IncidentCommands), method);
        var parameters = call.Method.GetParameters();
        foreach (var argument in arguments)
            call.Arguments[Array.FindIndex(parameters, p => argument.VariableType.IsAssignableTo(p.ParameterType))] = argument;
        return call;
    }
}
