using Sre.Domain.Incidents;

namespace Sre.Domain.Slos.Pull;

/// <summary>Which secret a data source signs in with; the secret itself is in the service's configuration, never in a document.</summary>
public enum DataSourceAuth
{
    None,
    Bearer,
    Basic,
}

/// <summary>
/// A Prometheus data source as an OpenSLO <c>DataSource</c> document defines it (<c>spec.connectionDetails</c>): its base
/// URL, extra headers (a tenant's <c>X-Scope-OrgID</c>), the longest a query may run, and which secret it signs in with
/// (<see cref="Auth"/>, with the user name of basic authentication). No secret: the token or password is read from
/// configuration (<see cref="DataSourceRules.ConfigurationKey"/>).
/// </summary>
/// <param name="Name">The name SLIs give it (OpenSLO <c>metricSourceRef</c>).</param>
/// <param name="Url">The absolute http(s) base URL; the API is under <c>/api/v1</c>.</param>
/// <param name="Headers">Extra headers on every request; none of them carries a credential.</param>
/// <param name="QueryTimeout">The longest a query may run; null: the configured <c>Prometheus:QueryTimeout</c>.</param>
/// <param name="Auth">Which secret of configuration signs the requests in.</param>
/// <param name="Username">The user name of basic authentication (not a secret).</param>
/// <param name="Description">OpenSLO <c>spec.description</c>.</param>
public sealed record DataSourceDefinition(
    string Name,
    string Url,
    Dictionary<string, string> Headers,
    TimeSpan? QueryTimeout = null,
    DataSourceAuth Auth = DataSourceAuth.None,
    string? Username = null,
    string? Description = null)
{
    /// <summary>The same definition, headers compared by content (a record compares its dictionary by reference).</summary>
    public bool SameAs(DataSourceDefinition other) =>
        this with { Headers = other.Headers } == other
        && Headers.Count == other.Headers.Count && !Headers.Except(other.Headers).Any();
}

public interface IDataSourceEvent
{
    DateTimeOffset At { get; }
    string By { get; }
}

// A data source's stream: its definition over time.

public sealed record DataSourceDefined(Guid DataSourceId, DataSourceDefinition Definition, DateTimeOffset At, string By) : IDataSourceEvent;

/// <summary>The whole new definition of an imported data source.</summary>
public sealed record DataSourceRedefined(DataSourceDefinition Definition, DateTimeOffset At, string By) : IDataSourceEvent;

/// <summary>The write model of one imported data source: its current definition, when it was defined and last changed.</summary>
public sealed record DataSource
{
    public Guid Id { get; init; }
    public long Version { get; set; }
    public string Name { get; init; } = "";
    public DataSourceDefinition Definition { get; init; } = null!;
    public Stamp Defined { get; init; } = new(DateTimeOffset.MinValue, "");
    public Stamp? Changed { get; init; }

    public static DataSource Create(DataSourceDefined e) =>
        new() { Id = e.DataSourceId, Name = e.Definition.Name, Definition = e.Definition, Defined = new Stamp(e.At, e.By) };

    public DataSource Apply(DataSourceRedefined e) => this with { Definition = e.Definition, Changed = new Stamp(e.At, e.By) };
}

/// <summary>A data source's stream id is the name-based UUID of its name.</summary>
public static class DataSourceIds
{
    private static readonly Guid Namespace = new("6d1c2f0a-8f3b-4f55-a0de-2b7c95e4a7d1");

    public static Guid For(string name) => NameBasedGuid.Create(Namespace, name);
}

/// <summary>The decision on an imported data source: defined, redefined, or nothing when the definition is the one it has.</summary>
public static class DataSourceDecisions
{
    public static IReadOnlyList<object> Upsert(DataSource? existing, DataSourceDefinition definition, string by, DateTimeOffset now) =>
        existing is null ? [new DataSourceDefined(DataSourceIds.For(definition.Name), definition, now, by)]
        : existing.Definition.SameAs(definition) ? []
        : [new DataSourceRedefined(definition, now, by)];
}
