using System.Text.Json;
using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Maintenance;

/// <summary>
/// Reads only what a tree refers to — each directory's subtree and each file's content blobs — from tree JSON,
/// skipping names and metadata without materialising nodes. Keys match as Go matches them (any letter case), as
/// <see cref="Tree.Parse"/> does, so both always agree on what a tree refers to. For walks that need reachability only (prune's
/// used-blob search), where parsing every node in full would dominate time and allocation.
/// </summary>
public static class TreeReferences
{
    /// <summary>
    /// Appends the referenced blobs of a tree to <paramref name="into"/>: a <c>dir</c> node's subtree (tree blob)
    /// and every other node's <c>content</c> (data blobs). Throws <see cref="InvalidDataException"/> when the JSON
    /// is malformed or an id is not 64 hex digits.
    /// </summary>
    public static void Collect(ReadOnlySpan<byte> json, List<BlobHandle> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        try
        {
            var reader = new Utf8JsonReader(json, GoJsonReader.Options);
            Next(ref reader);
            Expect(ref reader, JsonTokenType.StartObject);
            while (Next(ref reader) != JsonTokenType.EndObject)
            {
                var isNodes = GoJsonReader.NameIs(ref reader, "nodes"u8);
                Next(ref reader);
                if (!isNodes || reader.TokenType == JsonTokenType.Null)
                {
                    reader.Skip();
                    continue;
                }
                Expect(ref reader, JsonTokenType.StartArray);
                while (Next(ref reader) != JsonTokenType.EndArray)
                {
                    ReadNode(ref reader, into);
                }
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"tree JSON is malformed: {e.Message}", e);
        }
    }

    private static void ReadNode(ref Utf8JsonReader reader, List<BlobHandle> into)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        var isDir = false;
        BlobId? subtree = null;
        var contentStart = into.Count;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            if (GoJsonReader.NameIs(ref reader, "type"u8))
            {
                Next(ref reader);
                isDir = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("dir"u8);
            }
            else if (GoJsonReader.NameIs(ref reader, "subtree"u8))
            {
                Next(ref reader);
                if (reader.TokenType != JsonTokenType.Null)
                {
                    subtree = ReadId(ref reader);
                }
            }
            else if (GoJsonReader.NameIs(ref reader, "content"u8))
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }
                Expect(ref reader, JsonTokenType.StartArray);
                while (Next(ref reader) != JsonTokenType.EndArray)
                {
                    into.Add(new BlobHandle(ReadId(ref reader), BlobType.Data));
                }
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }
        if (isDir)
        {
            // A directory's content list means nothing; its subtree is what it refers to.
            into.RemoveRange(contentStart, into.Count - contentStart);
            if (subtree is { } id)
            {
                into.Add(new BlobHandle(id, BlobType.Tree));
            }
        }
    }

    private static BlobId ReadId(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String);
        if (reader.ValueIsEscaped || !Id.TryParse(reader.ValueSpan, out var id))
        {
            throw new InvalidDataException("tree JSON holds an id that is not 64 hex digits");
        }
        return new BlobId(id);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new InvalidDataException("tree JSON ends early");
        }
        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new InvalidDataException($"tree JSON has {reader.TokenType} where {type} belongs");
        }
    }
}
