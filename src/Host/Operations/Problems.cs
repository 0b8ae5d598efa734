using Microsoft.AspNetCore.Mvc;

namespace Sre.Host.Operations;

/// <summary>RFC 7807 problem details, built the same way by every endpoint.</summary>
public static class Problems
{
    public static IResult Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        Results.Problem(InvalidDetails(errors));

    public static ProblemDetails InvalidDetails(IReadOnlyDictionary<string, string[]> errors)
    {
        var first = errors.First();
        var details = new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid.",
            Detail = $"{first.Key}: {first.Value[0]}",
        };
        details.Extensions["errors"] = errors;
        return details;
    }

    public static IResult Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult NotFound(string what) => Results.Problem(NotFoundDetails(what));

    public static ProblemDetails InvalidDetails(string field, string message) =>
        InvalidDetails(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemDetails NotFoundDetails(string what) =>
        new() { Status = StatusCodes.Status404NotFound, Title = "Not found.", Detail = what };

    public static IResult Conflict(string detail) => Results.Problem(ConflictDetails(detail));

    public static ProblemDetails ConflictDetails(string detail) =>
        new() { Status = StatusCodes.Status409Conflict, Title = "The request conflicts with the current state.", Detail = detail };

    public static ProblemDetails PreconditionFailedDetails(string detail) =>
        new() { Status = StatusCodes.Status412PreconditionFailed, Title = "The precondition failed.", Detail = detail };

    public static IResult Forbidden(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.", detail: detail);

    public static IResult Unauthorized(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized.", detail: detail);

    /// <summary>
    /// Wolverine's railway for numbers a query string or body may leave out: each given value out of its range is
    /// named, or <see cref="Wolverine.Http.WolverineContinue.NoProblems"/> lets the endpoint run.
    /// </summary>
    public static ProblemDetails OutOfRange(params (string Field, int? Value, int Min, int Max)[] fields)
    {
        var wrong = fields
            .Where(f => f.Value < f.Min || f.Value > f.Max)
            .ToDictionary(f => f.Field, f => new[] { $"must be between {f.Min} and {f.Max}." });
        return wrong.Count == 0 ? Wolverine.Http.WolverineContinue.NoProblems : InvalidDetails(wrong);
    }

    /// <summary>Wolverine's railway: a Validate method answers this to let the endpoint run.</summary>
    public static ProblemDetails Required(params (string Field, string? Value)[] fields)
    {
        var missing = fields
            .Where(f => string.IsNullOrWhiteSpace(f.Value))
            .ToDictionary(f => f.Field, _ => new[] { "is required." });
        return missing.Count == 0 ? Wolverine.Http.WolverineContinue.NoProblems : InvalidDetails(missing);
    }
}
