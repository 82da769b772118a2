using System.Buffers;
using System.Text.Json;

namespace Coffer.Core.Model;

/// <summary>
/// The listing of one directory: its nodes, ordered by raw name bytes (ordinal byte comparison), names unique.
/// The JSON form (a tree blob's plaintext) is <c>{"nodes":[…]}</c> followed by a newline, byte-identical to
/// restic's, so that equal directories give equal tree ids.
/// </summary>
/// <remarks>
/// <see cref="Parse"/> keeps the nodes in the order the blob lists them, so that re-encoding reproduces the blob
/// even when another tool wrote them unsorted; <see cref="IsSorted"/> says whether they are in order.
/// Not thread-safe for mutation; concurrent reads are safe.
/// </remarks>
public sealed class Tree
{
    private readonly List<Node> _nodes;

    /// <summary>An empty tree.</summary>
    public Tree()
    {
        _nodes = [];
        IsSorted = true;
    }

    /// <summary>A tree of the given nodes, sorted by name.</summary>
    /// <exception cref="ArgumentException">Two nodes have the same name.</exception>
    public Tree(IEnumerable<Node> nodes)
    {
        _nodes = [.. nodes];
        _nodes.Sort(static (a, b) => CompareNames(a.Name, b.Name));
        for (var i = 1; i < _nodes.Count; i++)
        {
            if (CompareNames(_nodes[i - 1].Name, _nodes[i].Name) == 0)
            {
                throw new ArgumentException($"duplicate node name '{_nodes[i].NameText}'", nameof(nodes));
            }
        }
        IsSorted = true;
    }

    private Tree(List<Node> nodes, bool sorted)
    {
        _nodes = nodes;
        IsSorted = sorted;
    }

    /// <summary>The nodes in tree order.</summary>
    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>True when the names are strictly ascending (always, unless a parsed blob was not).</summary>
    public bool IsSorted { get; private set; }

    /// <summary>Orders two names the way trees are sorted: ordinal comparison of the raw bytes.</summary>
    public static int CompareNames(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceCompareTo(b);

    /// <summary>Inserts a node at its sorted position.</summary>
    /// <exception cref="ArgumentException">A node of that name exists.</exception>
    /// <exception cref="InvalidOperationException">The tree was parsed unsorted.</exception>
    public void Insert(Node node)
    {
        if (!IsSorted)
        {
            throw new InvalidOperationException("cannot insert into a tree whose nodes are not sorted");
        }
        var index = IndexOf(node.Name);
        if (index >= 0)
        {
            throw new ArgumentException($"a node named '{node.NameText}' exists", nameof(node));
        }
        _nodes.Insert(~index, node);
    }

    /// <summary>Removes every node <paramref name="match"/> selects, keeping the others in their order; returns how many were removed.</summary>
    public int RemoveAll(Predicate<Node> match) => _nodes.RemoveAll(match);

    /// <summary>The node with exactly this raw name, or null. Binary search when sorted, linear scan otherwise.</summary>
    public Node? Find(ReadOnlySpan<byte> name)
    {
        var index = IndexOf(name);
        return index >= 0 ? _nodes[index] : null;
    }

    /// <summary>The node with this name (UTF-8), or null.</summary>
    public Node? Find(string name) => Find(System.Text.Encoding.UTF8.GetBytes(name));

    private int IndexOf(ReadOnlySpan<byte> name)
    {
        if (!IsSorted)
        {
            for (var i = 0; i < _nodes.Count; i++)
            {
                if (name.SequenceEqual(_nodes[i].Name))
                {
                    return i;
                }
            }
            return ~_nodes.Count;
        }
        int lo = 0, hi = _nodes.Count - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var c = CompareNames(_nodes[mid].Name, name);
            if (c == 0)
            {
                return mid;
            }
            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return ~lo;
    }

    /// <summary>
    /// Parses a tree blob's plaintext. Unknown members of the tree and of nodes are ignored; node names are
    /// unquoted (Go <c>strconv.Unquote</c>). Memory use is bounded by the input: nothing is sized from a count
    /// in the data.
    /// </summary>
    /// <exception cref="InvalidDataException">The text is not valid JSON or not a tree.</exception>
    public static Tree Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, GoJsonReader.Options);
            GoJsonReader.MoveToValue(ref reader);
            GoJsonReader.Expect(ref reader, JsonTokenType.StartObject, "tree");
            var nodes = new List<Node>();
            while (true)
            {
                GoJsonReader.MoveToValue(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }
                if (!GoJsonReader.NameIs(ref reader, "nodes"u8))
                {
                    GoJsonReader.MoveToValue(ref reader);
                    reader.Skip();
                    continue;
                }
                GoJsonReader.MoveToValue(ref reader);
                nodes.Clear();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }
                GoJsonReader.Expect(ref reader, JsonTokenType.StartArray, "tree nodes");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    nodes.Add(Node.Read(ref reader, json));
                }
            }
            if (reader.Read())
            {
                throw new InvalidDataException("tree JSON has data after the top-level object");
            }
            var sorted = true;
            for (var i = 1; i < nodes.Count && sorted; i++)
            {
                sorted = CompareNames(nodes[i - 1].Name, nodes[i].Name) < 0;
            }
            return new Tree(nodes, sorted);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"tree is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"tree JSON has an invalid value: {e.Message}", e);
        }
    }

    /// <summary>The tree blob's plaintext, byte-identical to what restic writes for the same nodes.</summary>
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(256 + 512 * _nodes.Count);
        Encode(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the tree blob's plaintext into <paramref name="output"/>.</summary>
    public void Encode(IBufferWriter<byte> output)
    {
        var writer = new GoJsonWriter(output);
        var scratch = new ArrayBufferWriter<byte>(256);
        writer.WriteStartObject();
        writer.WritePropertyName("nodes"u8);
        writer.WriteStartArray();
        foreach (var node in _nodes)
        {
            node.Write(writer, scratch);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteVerbatim("\n"u8);
    }
}
