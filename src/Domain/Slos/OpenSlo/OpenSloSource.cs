using Sre.Domain.Incidents;

namespace Sre.Domain.Slos.OpenSlo;

/// <summary>
/// An OpenSLO v1 document as it was imported (<paramref name="Content"/>: the document as JSON, every field kept, whatever
/// the service reads of it), so that an export gives back what came in: the SLO with its displayName, annotations and
/// list labels, an SLI whose metric source is Datadog, an AlertNotificationTarget. One stream per kind and name.
/// </summary>
public sealed record OpenSloDocumentStored(Guid DocumentId, string Kind, string Name, string Content, DateTimeOffset At, string By);

/// <summary>The stored OpenSLO document of one kind and name: its content as last imported.</summary>
public sealed record OpenSloSource
{
    public Guid Id { get; init; }
    public long Version { get; set; }
    public string Kind { get; init; } = "";
    public string Name { get; init; } = "";
    public string Content { get; init; } = "";
    public Stamp Stored { get; init; } = new(DateTimeOffset.MinValue, "");

    public static OpenSloSource Create(OpenSloDocumentStored e) =>
        new() { Id = e.DocumentId, Kind = e.Kind, Name = e.Name, Content = e.Content, Stored = new Stamp(e.At, e.By) };

    public OpenSloSource Apply(OpenSloDocumentStored e) => this with { Content = e.Content, Stored = new Stamp(e.At, e.By) };

    private static readonly Guid Namespace = new("6c1f4a8e-2b7d-4e39-9f0a-5d8e1c3b7a21");

    /// <summary>The stream id of the document of this kind and name (name-based, so one stream per document).</summary>
    public static Guid IdFor(string kind, string name) => NameBasedGuid.Create(Namespace, $"{kind}/{name}");
}
