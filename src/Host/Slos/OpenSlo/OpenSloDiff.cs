using System.Text.Json.Nodes;

namespace Sre.Host.Slos.OpenSlo;

/// <summary>Where two versions of a document differ: the paths of the fields added, removed or changed (<c>spec.objectives[1].target</c>).</summary>
public static class OpenSloDiff
{
    public static List<string> Fields(JsonNode? before, JsonNode? after)
    {
        var fields = new List<string>();
        Walk(before, after, "", fields);
        return fields;
    }

    private static void Walk(JsonNode? before, JsonNode? after, string path, List<string> fields)
    {
        if (JsonNode.DeepEquals(before, after)) return;
        switch (before, after)
        {
            case (JsonObject b, JsonObject a):
                foreach (var key in b.Select(p => p.Key).Union(a.Select(p => p.Key)))
                    Walk(b[key], a[key], path.Length == 0 ? key : $"{path}.{key}", fields);
                break;
            case (JsonArray b, JsonArray a) when b.Count == a.Count:
                for (var i = 0; i < b.Count; i++) Walk(b[i], a[i], $"{path}[{i}]", fields);
                break;
            default:
                fields.Add(path);
                break;
        }
    }
}
