using System.Linq.Expressions;
using Marten.Schema;
using Weasel.Postgresql.Tables;

namespace Sre.Projections;

/// <summary>
/// Fields duplicated as columns for reads that select them directly, without the index Marten would add for each
/// (every index is paid on every write): the caller names the composite indexes its queries need.
/// </summary>
public static class DuplicatedColumns
{
    /// <summary>Duplicates the fields, in order, and answers their column names.</summary>
    public static IReadOnlyList<string> Add<T>(DocumentMapping<T> mapping, params Expression<Func<T, object?>>[] fields) =>
        Add(mapping, null, fields);

    /// <summary>Duplicates the fields, in order, as columns of the given PostgreSQL type (arrays, say), and answers their names.</summary>
    public static IReadOnlyList<string> Add<T>(DocumentMapping<T> mapping, string? pgType, params Expression<Func<T, object?>>[] fields)
    {
        var before = mapping.Indexes.Count;
        foreach (var field in fields) mapping.Duplicate(field!, pgType);
        var added = mapping.Indexes.Skip(before).ToList();
        foreach (var index in added) mapping.Indexes.Remove(index);
        return added.Select(i => i.Columns![0]).ToList();
    }

    public static void Index<T>(DocumentMapping<T> mapping, string suffix, params string[] columns) =>
        mapping.Indexes.Add(new IndexDefinition($"{mapping.TableName.Name}_idx_{suffix}") { Columns = columns });
}
