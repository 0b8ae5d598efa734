using System.Text.Json.Nodes;

namespace Sre.Host.Tests.Support;

/// <summary>JSON with every object's keys in ordinal order and no spaces: jsonb gives keys back in an order of its own.</summary>
public static class CanonicalJson
{
    public static string Of(string json) => Sorted(JsonNode.Parse(json))?.ToJsonString() ?? "null";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
