using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlScalar = YamlDotNet.Core.Events.Scalar;

namespace Sre.Host.Slos.OpenSlo;

/// <summary>
/// A YAML parser that remembers the path of every node it reads (<c>documents[4].spec.objectives[0].target</c>), so
/// that an error YamlDotNet reports at a position names the document and the field. It also tells a body that is not
/// YAML at all (the parser itself failed) from a document that does not fit the records.
/// </summary>
internal sealed class YamlPathParser(IParser inner) : IParser
{
    private sealed class Frame(string path, bool mapping)
    {
        public string Path { get; } = path;
        public bool Mapping { get; } = mapping;
        public bool AtValue { get; set; }
        public string? Key { get; set; }
        public int Index { get; set; }
    }

    private readonly Stack<Frame> frames = new();
    private readonly Dictionary<long, string> paths = [];

    /// <summary>The index of the document being read, counting from 0.</summary>
    public int Document { get; private set; } = -1;

    /// <summary>True once the text failed to parse as YAML: nothing after that point can be read.</summary>
    public bool Broken { get; private set; }

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        bool moved;
        try
        {
            moved = inner.MoveNext();
        }
        catch (YamlException)
        {
            Broken = true;
            throw;
        }
        if (moved) Track(inner.Current!);
        return moved;
    }

    /// <summary>The path of the node that starts at <paramref name="mark"/>, or of the current document.</summary>
    public string PathAt(Mark mark) => paths.GetValueOrDefault(mark.Index) ?? $"documents[{Document}]";

    private void Track(ParsingEvent e)
    {
        switch (e)
        {
            case DocumentStart:
                Document++;
                frames.Clear();
                break;
            case MappingStart or SequenceStart:
                frames.Push(new Frame(Enter(e), e is MappingStart));
                break;
            case YamlScalar or AnchorAlias:
                Enter(e);
                Leave();
                break;
            case MappingEnd or SequenceEnd:
                frames.Pop();
                Leave();
                break;
        }
    }

    private string Enter(ParsingEvent node)
    {
        string path;
        if (!frames.TryPeek(out var parent)) path = $"documents[{Document}]";
        else if (!parent.Mapping) path = $"{parent.Path}[{parent.Index}]";
        else
        {
            if (!parent.AtValue) parent.Key = node is YamlScalar key ? key.Value : "?";
            path = $"{parent.Path}.{parent.Key}";
        }
        // A block mapping starts where its first key does: the mapping keeps the position.
        paths.TryAdd(node.Start.Index, path);
        return path;
    }

    private void Leave()
    {
        if (!frames.TryPeek(out var parent)) return;
        if (parent.Mapping) parent.AtValue = !parent.AtValue;
        else parent.Index++;
    }
}
