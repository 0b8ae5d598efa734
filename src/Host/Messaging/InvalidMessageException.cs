using Microsoft.AspNetCore.Mvc;

namespace Sre.Host.Messaging;

/// <summary>A message that can never succeed: it goes to the error queue at once, with the reasons, and nothing is stored.</summary>
public sealed class InvalidMessageException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The message is invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    /// <summary>The problem a Validate shared with the HTTP endpoint answered (<see cref="Operations.Problems.InvalidDetails(IReadOnlyDictionary{string, string[]})"/>).</summary>
    public InvalidMessageException(ProblemDetails problem)
        : this(problem.Extensions.TryGetValue("errors", out var errors) && errors is IReadOnlyDictionary<string, string[]> byField
            ? byField
            : new Dictionary<string, string[]> { ["message"] = [problem.Detail ?? problem.Title ?? "is invalid."] })
    {
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
