using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlScalar = YamlDotNet.Core.Events.Scalar;

namespace Sre.Host.Slos.OpenSlo;

/// <summary>
/// OpenSLO text as JSON trees and back. A body is YAML (JSON is YAML too): documents separated by <c>---</c>, and a
/// document that is a list holds one OpenSLO document per item (a JSON array). Each becomes a <see cref="JsonObject"/>
/// named by its place (<c>documents[3]</c>, counted across the body). Plain scalars take their YAML 1.2 core-schema type
/// (<c>0.995</c> a number, <c>true</c> a boolean, <c>~</c> null), quoted ones are strings; aliases are expanded, up to
/// <see cref="MaxNodes"/> nodes a body. A body that is not YAML is one error on <c>body</c>.
/// </summary>
public static partial class OpenSloYaml
{
    /// <summary>The most nodes a body may expand to (an alias repeated is counted each time).</summary>
    public const int MaxNodes = 200_000;

    /// <summary>The deepest a document may nest (System.Text.Json reads no deeper).</summary>
    public const int MaxDepth = 48;

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex(@"^(~|null|Null|NULL|)$")]
    private static partial Regex Null();

    [GeneratedRegex(@"^(true|True|TRUE|false|False|FALSE)$")]
    private static partial Regex Boolean();

    /// <summary>The documents of <paramref name="text"/>, each with its path; errors keyed by path.</summary>
    public static List<(string Path, JsonNode? Node)> Read(string text, Dictionary<string, string[]> errors)
    {
        var parser = new Parser(new StringReader(text));
        var documents = new List<(string, JsonNode?)>();
        var reader = new TreeReader(parser);
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                var root = reader.Node();
                parser.Consume<DocumentEnd>();
                if (root is JsonArray list)
                    foreach (var item in list) documents.Add(($"documents[{documents.Count}]", item?.DeepClone()));
                else if (root is not null) documents.Add(($"documents[{documents.Count}]", root));
            }
        }
        catch (YamlException e)
        {
            errors.TryAdd("body", [$"is not YAML: {Innermost(e).Message}"]);
            return [];
        }
        return documents;
    }

    /// <summary>The documents as one YAML stream, <c>---</c> between them; a string that would read as another type is quoted.</summary>
    public static string Write(IEnumerable<JsonNode> documents)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(text);
        emitter.Emit(new StreamStart());
        foreach (var document in documents)
        {
            emitter.Emit(new DocumentStart(null, null, isImplicit: false));
            Emit(emitter, document);
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                emitter.Emit(new MappingStart());
                foreach (var (key, value) in o)
                {
                    emitter.Emit(String(key));
                    Emit(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray a:
                emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Any));
                foreach (var item in a) Emit(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case null:
                emitter.Emit(new YamlScalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            default:
                emitter.Emit(node.GetValueKind() == JsonValueKind.String
                    ? String(node.GetValue<string>())
                    : new YamlScalar(null, null, node.ToJsonString(), ScalarStyle.Plain, true, false));
                break;
        }
    }

    /// <summary>A string as a scalar that reads back as a string: quoted when plain it would be a number, a boolean or null.</summary>
    private static YamlScalar String(string value) =>
        new(null, null, value, Null().IsMatch(value) || Typed(value) is not null || value.Contains('\n') ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, true, true);

    /// <summary>A plain scalar's core-schema value when it is a boolean or a number; null otherwise (a string, or null itself).</summary>
    private static JsonNode? Typed(string text)
    {
        if (Boolean().IsMatch(text)) return JsonValue.Create(text.Equals("true", StringComparison.OrdinalIgnoreCase));
        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return JsonValue.Create(n);
        if ((Float().IsMatch(text) || Integer().IsMatch(text)) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            return JsonValue.Create(d);
        return null;
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    /// <summary>Builds the tree of one YAML document from the parser's events.</summary>
    private sealed class TreeReader(IParser parser)
    {
        private readonly Dictionary<string, JsonNode?> _anchors = [];
        private int _nodes;
        private int _depth;

        public JsonNode? Node()
        {
            if (++_nodes > MaxNodes) throw new YamlException(parser.Current!.Start, parser.Current.End, $"more than {MaxNodes:N0} nodes.");
            if (_depth >= MaxDepth) throw new YamlException(parser.Current!.Start, parser.Current.End, $"nested deeper than {MaxDepth} levels.");
            _depth++;
            try
            {
                return Read();
            }
            finally
            {
                _depth--;
            }
        }

        private JsonNode? Read()
        {
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
                    throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value} names no anchor.");
                _nodes += Count(anchored);
                if (_nodes > MaxNodes) throw new YamlException(alias.Start, alias.End, $"more than {MaxNodes:N0} nodes.");
                return anchored?.DeepClone();
            }
            JsonNode? node;
            AnchorName anchor;
            if (parser.TryConsume<YamlScalar>(out var scalar))
            {
                anchor = scalar.Anchor;
                var quoted = scalar.Style is not ScalarStyle.Plain || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str");
                node = quoted ? JsonValue.Create(scalar.Value)
                    : Null().IsMatch(scalar.Value) ? null
                    : Typed(scalar.Value) ?? JsonValue.Create(scalar.Value);
            }
            else if (parser.TryConsume<SequenceStart>(out var sequence))
            {
                anchor = sequence.Anchor;
                var array = new JsonArray();
                while (!parser.TryConsume<SequenceEnd>(out _)) array.Add(Node());
                node = array;
            }
            else
            {
                var mapping = parser.Consume<MappingStart>();
                anchor = mapping.Anchor;
                var map = new JsonObject();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var at = parser.Current!;
                    var key = Node() switch
                    {
                        JsonValue k when k.GetValueKind() == JsonValueKind.String => k.GetValue<string>(),
                        JsonValue k => k.ToJsonString(),
                        _ => throw new YamlException(at.Start, at.End, "a key must be a scalar, not null, a list or a mapping."),
                    };
                    if (map.ContainsKey(key)) throw new YamlException(at.Start, at.End, $"the key '{key}' is given twice.");
                    map[key] = Node();
                }
                node = map;
            }
            if (!anchor.IsEmpty) _anchors[anchor.Value] = node;
            return node;
        }

        private static int Count(JsonNode? node) => node switch
        {
            JsonObject o => 1 + o.Sum(p => Count(p.Value)),
            JsonArray a => 1 + a.Sum(Count),
            _ => 1,
        };
    }
}
