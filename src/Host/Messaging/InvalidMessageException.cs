namespace Sre.Host.Messaging;

/// <summary>A message that can never succeed: it goes to the error queue at once, with the reasons, and nothing is stored.</summary>
public sealed class InvalidMessageException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The message is invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
