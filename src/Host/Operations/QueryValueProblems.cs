using Sre.Domain.Time;
using Wolverine.Http;

namespace Sre.Host.Operations;

/// <summary>
/// Wolverine answers a query value that does not parse (RejectUnparseableQueryValues) with a 400 naming the parameter
/// and the .NET type it wanted. This says instead what the service takes, in the <c>errors</c> member every other 400
/// of the service carries: an RFC 3339 instant (and that a '+' must be sent as %2B), a duration, one of an enum's names.
/// </summary>
public static class QueryValueProblems
{
    public static void Explain(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Status != StatusCodes.Status400BadRequest || problem.Extensions.ContainsKey("errors")
            || !problem.Extensions.TryGetValue("parameter", out var parameter) || parameter is not string name)
            return;

        var text = context.HttpContext.Request.Query[name].ToString();
        var type = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<HttpChain>()?.Method.Method.GetParameters()
            .FirstOrDefault(p => p.Name == name)?.ParameterType;
        var wanted = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        var message = wanted switch
        {
            _ when wanted == typeof(Instant) => Rfc3339.Invalid(text),
            _ when wanted == typeof(Duration) => Duration.Invalid(text),
            { IsGenericType: true } when wanted.GetGenericTypeDefinition() == typeof(QueryEnum<>) =>
                (string)wanted.GetMethod(nameof(QueryEnum<>.Invalid))!.Invoke(null, [text])!,
            _ when wanted == typeof(int) => $"\"{text}\" is not a whole number.",
            _ when wanted == typeof(bool) => $"\"{text}\" is not true or false.",
            _ => problem.Detail ?? $"\"{text}\" does not parse.",
        };
        problem.Title = "The request is invalid.";
        problem.Detail = $"{name}: {message}";
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [name] = [message] };
    }
}
