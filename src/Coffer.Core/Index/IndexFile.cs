using System.Buffers;
using System.Text.Json;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;

namespace Coffer.Core.Index;

/// <summary>
/// The content of one index file (restic format §6): the packs it describes and the index files it
/// supersedes. Parses both the current object form and the legacy top-level array form; encodes
/// compact JSON with a trailing newline, exactly as restic writes it.
/// </summary>
public sealed class IndexFile
{
    /// <summary>Index files this one replaces.</summary>
    public List<Id> Supersedes { get; } = [];

    /// <summary>The packs and their blobs.</summary>
    public List<IndexPack> Packs { get; } = [];

    /// <summary>Total number of blob entries.</summary>
    public int BlobCount => Packs.Sum(p => p.Blobs.Count);

    /// <summary>Parses index JSON. Throws <see cref="InvalidDataException"/> on malformed content.</summary>
    public static IndexFile Parse(ReadOnlySpan<byte> json)
    {
        var file = new IndexFile();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                ReadPacks(ref reader, file.Packs);
            }
            else
            {
                Expect(ref reader, JsonTokenType.StartObject);
                while (Read(ref reader) != JsonTokenType.EndObject)
                {
                    var name = reader.GetString();
                    Read(ref reader);
                    switch (name)
                    {
                        case "supersedes":
                            if (reader.TokenType == JsonTokenType.Null)
                            {
                                break;
                            }
                            Expect(ref reader, JsonTokenType.StartArray);
                            while (Read(ref reader) != JsonTokenType.EndArray)
                            {
                                file.Supersedes.Add(ReadId(ref reader));
                            }
                            break;
                        case "packs":
                            if (reader.TokenType != JsonTokenType.Null)
                            {
                                ReadPacks(ref reader, file.Packs);
                            }
                            break;
                        default:
                            reader.Skip();
                            break;
                    }
                }
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"invalid index JSON: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"invalid index JSON: {e.Message}", e);
        }
        return file;
    }

    private static void ReadPacks(ref Utf8JsonReader reader, List<IndexPack> packs)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        while (Read(ref reader) != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartObject);
            PackId? id = null;
            var blobs = new List<PackedBlob>();
            while (Read(ref reader) != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                Read(ref reader);
                switch (name)
                {
                    case "id":
                        id = new PackId(ReadId(ref reader));
                        break;
                    case "blobs":
                        if (reader.TokenType == JsonTokenType.Null)
                        {
                            break;
                        }
                        Expect(ref reader, JsonTokenType.StartArray);
                        while (Read(ref reader) != JsonTokenType.EndArray)
                        {
                            blobs.Add(ReadBlob(ref reader));
                        }
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            packs.Add(new IndexPack(id ?? throw new InvalidDataException("invalid index JSON: pack without id"), blobs));
        }
    }

    private static PackedBlob ReadBlob(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        Id? id = null;
        BlobType? type = null;
        long offset = -1, length = -1, uncompressed = 0;
        while (Read(ref reader) != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            Read(ref reader);
            switch (name)
            {
                case "id":
                    id = ReadId(ref reader);
                    break;
                case "type":
                    type = BlobTypeNames.TryParse(reader.GetString() ?? "", out var t) ? t : throw new InvalidDataException($"invalid index JSON: unknown blob type");
                    break;
                case "offset":
                    offset = reader.GetInt64();
                    break;
                case "length":
                    length = reader.GetInt64();
                    break;
                case "uncompressed_length":
                    uncompressed = reader.TokenType == JsonTokenType.Null ? 0 : reader.GetInt64();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (id is null || type is null || offset < 0 || offset > uint.MaxValue || length < PackLayout.CryptoOverhead || length > uint.MaxValue
            || uncompressed < 0 || uncompressed > uint.MaxValue)
        {
            throw new InvalidDataException("invalid index JSON: blob entry with missing or impossible fields");
        }
        return new PackedBlob(new BlobHandle(new BlobId(id.Value), type.Value), (uint)offset, (uint)length, (uint)uncompressed);
    }

    private static Id ReadId(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String);
        return Id.TryParse(reader.ValueSpan, out var id) ? id : throw new InvalidDataException("invalid index JSON: malformed id");
    }

    private static JsonTokenType Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new InvalidDataException("invalid index JSON: unexpected end");
        }
        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new InvalidDataException($"invalid index JSON: expected {type}, found {reader.TokenType}");
        }
    }

    /// <summary>Compact JSON plus a trailing newline, field order and omissions as restic writes them.</summary>
    public byte[] Encode() => EncodeToMemory().ToArray();

    /// <summary>As <see cref="Encode"/>, without copying the result out of the writer's buffer.</summary>
    public ReadOnlyMemory<byte> EncodeToMemory()
    {
        var buffer = new ArrayBufferWriter<byte>(EncodedSizeEstimate);
        EncodeTo(buffer);
        return buffer.WrittenMemory;
    }

    /// <summary>
    /// An upper estimate of the encoded size: a blob entry takes at most about 170 bytes (64 hex digits,
    /// three 10-digit numbers and the keys), a pack about 100 more.
    /// </summary>
    public int EncodedSizeEstimate => (int)Math.Min(Array.MaxLength, 256 + (long)BlobCount * 176 + (long)Packs.Count * 104);

    /// <summary>As <see cref="Encode"/>, into <paramref name="buffer"/> (e.g. one outside the managed heap).</summary>
    public void EncodeTo(IBufferWriter<byte> buffer)
    {
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, SkipValidation = true }))
        {
            w.WriteStartObject();
            if (Supersedes.Count > 0)
            {
                w.WriteStartArray("supersedes");
                foreach (var s in Supersedes)
                {
                    w.WriteStringValue(s.ToString());
                }
                w.WriteEndArray();
            }
            w.WriteStartArray("packs");
            foreach (var pack in Packs)
            {
                w.WriteStartObject();
                w.WriteString("id", pack.Id.ToString());
                w.WriteStartArray("blobs");
                foreach (var b in pack.Blobs)
                {
                    w.WriteStartObject();
                    w.WriteString("id", b.Handle.Id.ToString());
                    w.WriteString("type", b.Handle.Type.Name());
                    w.WriteNumber("offset", b.Offset);
                    w.WriteNumber("length", b.Length);
                    if (b.IsCompressed)
                    {
                        w.WriteNumber("uncompressed_length", b.UncompressedLength);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        buffer.Write("\n"u8);
    }
}
