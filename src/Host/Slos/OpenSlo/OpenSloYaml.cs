using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.BufferedDeserialization.TypeDiscriminators;
using YamlDotNet.Serialization.NamingConventions;
using YamlDotNet.Serialization.NodeDeserializers;
using YamlScalar = YamlDotNet.Core.Events.Scalar;

namespace Sre.Host.Slos.OpenSlo;

/// <summary>
/// Reads a stream of OpenSLO documents (YAML, or JSON, which YAML reads too) into the records of
/// <see cref="OpenSloDocument"/>, and writes them. A document that does not fit its record is an error naming the
/// document and the field (<c>documents[4].spec.objectives[0].targetPercent: 'x' is not a number.</c>); the other
/// documents are still read. A body that is not YAML is one error on <c>body</c>.
/// </summary>
public static class OpenSloYaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .WithDuplicateKeyChecking()
        .WithNodeDeserializer(inner => new NamedScalars(inner), where => where.InsteadOf<ScalarNodeDeserializer>())
        .WithTypeDiscriminatingNodeDeserializer(o => o.AddTypeDiscriminator(new ByKind()))
        .WithNodeDeserializer(new Shapes(), where => where.OnTop())
        .Build();

    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .Build();

    /// <summary>The documents of <paramref name="yaml"/> with their paths (<c>documents[0]</c>); errors keyed by path.</summary>
    public static List<(string Path, OpenSloDocument Document)> Read(string yaml, Dictionary<string, string[]> errors)
    {
        var parser = new YamlPathParser(new Parser(new StringReader(yaml)));
        var documents = new List<(string, OpenSloDocument)>();
        try
        {
            parser.Consume<StreamStart>();
            while (parser.Accept<DocumentStart>(out _))
            {
                var path = $"documents[{parser.Document}]";
                try
                {
                    if (Deserializer.Deserialize<OpenSloDocument?>(parser) is { } document) documents.Add((path, document));
                    else errors.TryAdd(path, ["must be a mapping."]);
                }
                catch (YamlException e) when (!parser.Broken)
                {
                    errors.TryAdd(parser.PathAt(e.Start), [e is FieldException ? e.Message : $"cannot be read: {Innermost(e).Message}"]);
                    while (parser.Current is not (DocumentEnd or StreamEnd or null)) parser.MoveNext();
                    parser.TryConsume<DocumentEnd>(out _);
                }
            }
        }
        catch (YamlException e) when (parser.Broken)
        {
            errors.TryAdd("body", [$"is not YAML: {Innermost(e).Message}"]);
            return [];
        }
        return documents;
    }

    /// <summary>The documents as one YAML stream, <c>---</c> between them.</summary>
    public static string Write(params OpenSloDocument[] documents) =>
        string.Join("---\n", documents.Select(d => Serializer.Serialize(d)));

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    private static string Describe(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) ? "a string"
            : t == typeof(bool) ? "true or false"
            : t.IsPrimitive || t == typeof(decimal) ? "a number"
            : t.IsAssignableTo(typeof(System.Collections.IDictionary)) ? "a mapping"
            : t.IsAssignableTo(typeof(System.Collections.IEnumerable)) ? "a list"
            : "a mapping";
    }

    private static bool IsScalar(Type type) => Describe(type) is "a string" or "true or false" or "a number";

    private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";

    /// <summary>An error written for the sender, at the position of the node it is about.</summary>
    private sealed class FieldException(ParsingEvent node, string message, Exception? inner = null)
        : YamlException(node.Start, node.End, message, inner);

    /// <summary>The type of a document from its apiVersion and kind.</summary>
    private sealed class ByKind : ITypeDiscriminator
    {
        public Type BaseType => typeof(OpenSloDocument);

        public bool TryDiscriminate(IParser buffer, out Type? suggestedType)
        {
            string? apiVersion = null, kind = null;
            buffer.Consume<MappingStart>();
            while (!buffer.TryConsume<MappingEnd>(out _))
            {
                var key = buffer.TryConsume<YamlScalar>(out var k) ? k.Value : null;
                if (key is null) buffer.SkipThisAndNestedEvents();
                if (buffer.Accept<YamlScalar>(out var value))
                {
                    if (key == "apiVersion") apiVersion = value.Value;
                    if (key == "kind") kind = value.Value;
                }
                buffer.SkipThisAndNestedEvents();
            }
            suggestedType = apiVersion != OpenSloDocument.V1 ? typeof(UnsupportedDocument) : kind switch
            {
                "Service" => typeof(ServiceDocument),
                "SLI" => typeof(SliDocument),
                "SLO" => typeof(SloDocument),
                "AlertPolicy" => typeof(AlertPolicyDocument),
                "AlertCondition" => typeof(AlertConditionDocument),
                "DataSource" => typeof(DataSourceDocument),
                _ => typeof(UnsupportedDocument),
            };
            return true;
        }
    }

    /// <summary>
    /// Refuses a node of the wrong shape (a list where a mapping belongs, a mapping where a number does) with the
    /// shape expected, and reads a policy or condition given by its name alone as a reference to it.
    /// </summary>
    private sealed class Shapes : INodeDeserializer
    {
        public bool Deserialize(IParser parser, Type expectedType, Func<IParser, Type, object?> nestedObjectDeserializer, out object? value,
            ObjectDeserializer rootDeserializer)
        {
            value = null;
            if (!parser.Accept<NodeEvent>(out var node) || expectedType == typeof(object) || IsNull(node)) return false;
            var scalar = node as YamlScalar;
            if (scalar is not null && expectedType == typeof(AlertPolicyItem)) value = new AlertPolicyItem { AlertPolicyRef = scalar.Value };
            else if (scalar is not null && expectedType == typeof(AlertConditionItem)) value = new AlertConditionItem { ConditionRef = scalar.Value };
            else if (IsScalar(expectedType) != (scalar is not null)) throw new FieldException(node, $"must be {Describe(expectedType)}.");
            else return false;
            parser.MoveNext();
            return true;
        }

        private static bool IsNull(NodeEvent node) =>
            node is YamlScalar { Style: ScalarStyle.Plain, Value: "" or "~" or "null" or "Null" or "NULL" };
    }

    /// <summary>A scalar that does not convert ('x' as a number) is an error naming the value and what was expected.</summary>
    private sealed class NamedScalars(INodeDeserializer inner) : INodeDeserializer
    {
        public bool Deserialize(IParser parser, Type expectedType, Func<IParser, Type, object?> nestedObjectDeserializer, out object? value,
            ObjectDeserializer rootDeserializer)
        {
            parser.Accept<YamlScalar>(out var scalar);
            try
            {
                return inner.Deserialize(parser, expectedType, nestedObjectDeserializer, out value, rootDeserializer);
            }
            catch (Exception e) when (scalar is not null && e is not YamlException)
            {
                throw new FieldException(scalar, $"'{Clip(scalar.Value)}' is not {Describe(expectedType)}.", e);
            }
        }
    }
}
