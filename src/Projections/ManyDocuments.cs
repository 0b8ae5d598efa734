using Marten;

namespace Sre.Projections;

/// <summary>
/// Stores many documents of one type in one statement (arrays through <c>unnest</c>), as Marten's upsert would one by
/// one: a projection that writes hundreds of documents per transaction or rebuild page pays one round of parsing and
/// planning instead of hundreds (bench/RESULTS.md). The ids must be distinct: one statement cannot write a row twice.
/// </summary>
public static class ManyDocuments
{
    /// <summary>A duplicated column: its name, its PostgreSQL type and its values, one per document, in order.</summary>
    public sealed record Column(string Name, string Type, Array Values);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Table, string IdType, string Columns, bool New), string> Statements = new();

    /// <summary>Inserts the documents, or replaces those already stored.</summary>
    public static void Upsert<T, TId>(IDocumentOperations ops, IReadOnlyList<T> documents, Func<T, TId> id, params Column[] columns)
        where T : notnull => Queue(ops, documents, id, columns, allNew: false);

    /// <summary>
    /// Inserts documents the caller knows are not stored yet: a plain INSERT, without the conflict check and the
    /// confirmation record in the WAL that an upsert costs every row. A document that is stored after all fails the
    /// transaction (a unique violation).
    /// </summary>
    public static void Insert<T, TId>(IDocumentOperations ops, IReadOnlyList<T> documents, Func<T, TId> id, params Column[] columns)
        where T : notnull => Queue(ops, documents, id, columns, allNew: true);

    private static void Queue<T, TId>(IDocumentOperations ops, IReadOnlyList<T> documents, Func<T, TId> id, Column[] columns, bool allNew)
        where T : notnull
    {
        var idType = typeof(TId) == typeof(Guid) ? "uuid" : typeof(TId) == typeof(string) ? "varchar"
            : throw new ArgumentException($"Ids of type {typeof(TId).Name} are not supported.", nameof(id));
        if (documents.Count == 0) return;
        var options = ops.DocumentStore.Options;
        var mapping = options.FindOrResolveDocumentType(typeof(T));
        // The statement depends only on the table (schema included: a process may hold several stores) and the
        // columns: built once, not per transaction.
        var sql = Statements.GetOrAdd((mapping.TableName.QualifiedName, idType, string.Join(",", columns.Select(c => $"{c.Name} {c.Type}")), allNew), _ =>
        {
            // A duplicated column left out would keep its old value while the document moved on: queries on it would lie.
            var missing = (mapping as Marten.Schema.DocumentMapping)?.DuplicatedFields.Select(f => f.ColumnName)
                .Except(columns.Select(c => c.Name)).ToList() ?? [];
            if (missing.Count > 0)
                throw new ArgumentException($"The duplicated columns {string.Join(", ", missing)} of {typeof(T).Name} need their values.", nameof(columns));
            var aliases = columns.Select((_, i) => $"c{i}").ToList();
            var version = mapping is Marten.Schema.DocumentMapping { UseNumericRevisions: true } ? "t.mt_version + 1" : "md5(random()::text || clock_timestamp()::text)::uuid";
            var insert = $"""
                insert into {mapping.TableName.QualifiedName} as t (id, data, mt_dotnet_type{string.Concat(columns.Select(c => $", \"{c.Name}\""))})
                select d.id, d.data::jsonb, ?{string.Concat(aliases.Select(a => $", d.{a}"))}
                from unnest(?::{idType}[], ?::text[]{string.Concat(columns.Select(c => $", ?::{c.Type}[]"))}) as d(id, data{string.Concat(aliases.Select(a => $", {a}"))})
                """;
            return allNew ? insert : $"""
                {insert}
                on conflict (id) do update set data = excluded.data, mt_dotnet_type = excluded.mt_dotnet_type,
                  {string.Concat(columns.Select(c => $"\"{c.Name}\" = excluded.\"{c.Name}\", "))}mt_last_modified = transaction_timestamp(), mt_version = {version}
                """;
        });
        var serializer = options.Serializer();
        object[] parameters =
        [
            typeof(T).FullName!, documents.Select(id).ToArray(), documents.Select(d => serializer.ToJson(d)).ToArray(),
            .. columns.Select(c => (object)c.Values),
        ];
        ops.QueueSqlCommand(sql, parameters);
    }
}
