using System.Buffers;
using System.Text.Json;
using Coffer.Core.Primitives;

namespace Coffer.Core.Model;

/// <summary>
/// A snapshot: when and from where a backup was taken and the root tree it produced. The JSON form (the
/// plaintext of a file under <c>snapshots/</c>) is compact, without a trailing newline, with restic's field
/// order and omission rules. Members this version does not know are kept in <see cref="ExtraFields"/> and
/// written back after the known ones, so rewriting a snapshot made by a newer restic loses nothing.
/// </summary>
/// <remarks>A plain mutable data holder, not thread-safe. Lists are stored as given, not copied.</remarks>
public sealed class Snapshot
{
    /// <summary>The snapshot's own id (storage id of its file). Not part of the JSON; set by whoever loaded it.</summary>
    public SnapshotId? Id { get; set; }

    /// <summary>Backup start (or the time given), in the local offset of the machine. JSON: <c>time</c>.</summary>
    public GoTime Time { get; set; } = Node.ZeroTime;

    /// <summary>The snapshot used as parent for change detection. JSON: <c>parent</c>, omitted when null.</summary>
    public SnapshotId? Parent { get; set; }

    /// <summary>The root tree. JSON: <c>tree</c>.</summary>
    public BlobId Tree { get; set; }

    /// <summary>Backup targets. JSON: <c>paths</c>, always written (a JSON null reads as empty).</summary>
    public IReadOnlyList<string> Paths { get; set; } = [];

    /// <summary>Host name. JSON: <c>hostname</c>, omitted if empty.</summary>
    public string Hostname { get; set; } = "";

    /// <summary>User name. JSON: <c>username</c>, omitted if empty.</summary>
    public string Username { get; set; } = "";

    /// <summary>User id. JSON: <c>uid</c>, omitted if 0.</summary>
    public uint Uid { get; set; }

    /// <summary>Group id. JSON: <c>gid</c>, omitted if 0.</summary>
    public uint Gid { get; set; }

    /// <summary>Exclude patterns used. JSON: <c>excludes</c>, omitted if empty.</summary>
    public IReadOnlyList<string> Excludes { get; set; } = [];

    /// <summary>Tags. JSON: <c>tags</c>, omitted if empty.</summary>
    public IReadOnlyList<string> Tags { get; set; } = [];

    /// <summary>The id of the first version of a rewritten snapshot. JSON: <c>original</c>, omitted when null.</summary>
    public SnapshotId? Original { get; set; }

    /// <summary>Writer name and version, e.g. <c>restic 0.16.0</c>. JSON: <c>program_version</c>, omitted if null or empty.</summary>
    public string? ProgramVersion { get; set; }

    /// <summary>Backup statistics. JSON: <c>summary</c>, omitted when null.</summary>
    public SnapshotSummary? Summary { get; set; }

    /// <summary>Unknown members in input order: name → raw JSON value, written back (compacted) after the known ones.</summary>
    public IList<KeyValuePair<string, byte[]>> ExtraFields { get; set; } = [];

    /// <summary>Parses a snapshot file's plaintext.</summary>
    /// <exception cref="InvalidDataException">The text is not valid JSON or not a snapshot.</exception>
    public static Snapshot Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, GoJsonReader.Options);
            GoJsonReader.MoveToValue(ref reader);
            var snapshot = Read(ref reader, json);
            if (reader.Read())
            {
                throw new InvalidDataException("snapshot JSON has data after the top-level object");
            }
            return snapshot;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"snapshot is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"snapshot JSON has an invalid value: {e.Message}", e);
        }
    }

    /// <summary>The snapshot file's plaintext: compact JSON, no trailing newline.</summary>
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        var writer = new GoJsonWriter(buffer);
        writer.WriteStartObject();
        WriteMembers(writer, includeExtraFields: true);
        writer.WriteEndObject();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the members (no braces) in restic's order; the extra fields only when asked.</summary>
    internal void WriteMembers(GoJsonWriter w, bool includeExtraFields)
    {
        w.WritePropertyName("time"u8);
        w.WriteTime(Time);
        if (Parent is { } parent)
        {
            w.WritePropertyName("parent"u8);
            w.WriteId(parent.Value);
        }
        w.WritePropertyName("tree"u8);
        w.WriteId(Tree.Value);
        w.WritePropertyName("paths"u8);
        WriteList(w, Paths);
        if (Hostname.Length > 0)
        {
            w.WritePropertyName("hostname"u8);
            w.WriteString(Hostname);
        }
        if (Username.Length > 0)
        {
            w.WritePropertyName("username"u8);
            w.WriteString(Username);
        }
        if (Uid != 0)
        {
            w.WritePropertyName("uid"u8);
            w.WriteNumber(Uid);
        }
        if (Gid != 0)
        {
            w.WritePropertyName("gid"u8);
            w.WriteNumber(Gid);
        }
        if (Excludes.Count > 0)
        {
            w.WritePropertyName("excludes"u8);
            WriteList(w, Excludes);
        }
        if (Tags.Count > 0)
        {
            w.WritePropertyName("tags"u8);
            WriteList(w, Tags);
        }
        if (Original is { } original)
        {
            w.WritePropertyName("original"u8);
            w.WriteId(original.Value);
        }
        if (!string.IsNullOrEmpty(ProgramVersion))
        {
            w.WritePropertyName("program_version"u8);
            w.WriteString(ProgramVersion);
        }
        if (Summary is not null)
        {
            w.WritePropertyName("summary"u8);
            Summary.Write(w);
        }
        if (includeExtraFields)
        {
            foreach (var (name, value) in ExtraFields)
            {
                w.WritePropertyName(name);
                w.WriteRawValue(value);
            }
        }
    }

    private static void WriteList(GoJsonWriter w, IReadOnlyList<string> values)
    {
        w.WriteStartArray();
        foreach (var value in values)
        {
            w.WriteString(value);
        }
        w.WriteEndArray();
    }

    private static Snapshot Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        GoJsonReader.Expect(ref reader, JsonTokenType.StartObject, "snapshot");
        var s = new Snapshot();
        while (true)
        {
            GoJsonReader.MoveToValue(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return s;
            }
            if (GoJsonReader.NameIs(ref reader, "time"u8))
            {
                s.Time = GoJsonReader.ReadTime(ref reader, "time", s.Time);
            }
            else if (GoJsonReader.NameIs(ref reader, "parent"u8))
            {
                s.Parent = GoJsonReader.ReadId(ref reader, "parent") is { } id ? new SnapshotId(id) : null;
            }
            else if (GoJsonReader.NameIs(ref reader, "tree"u8))
            {
                s.Tree = GoJsonReader.ReadId(ref reader, "tree") is { } id
                    ? new BlobId(id)
                    : throw new InvalidDataException("snapshot field 'tree' is null");
            }
            else if (GoJsonReader.NameIs(ref reader, "paths"u8))
            {
                s.Paths = GoJsonReader.ReadStringList(ref reader, "paths");
            }
            else if (GoJsonReader.NameIs(ref reader, "hostname"u8))
            {
                s.Hostname = GoJsonReader.ReadString(ref reader, "hostname", s.Hostname)!;
            }
            else if (GoJsonReader.NameIs(ref reader, "username"u8))
            {
                s.Username = GoJsonReader.ReadString(ref reader, "username", s.Username)!;
            }
            else if (GoJsonReader.NameIs(ref reader, "uid"u8))
            {
                s.Uid = GoJsonReader.ReadUInt32(ref reader, "uid", s.Uid);
            }
            else if (GoJsonReader.NameIs(ref reader, "gid"u8))
            {
                s.Gid = GoJsonReader.ReadUInt32(ref reader, "gid", s.Gid);
            }
            else if (GoJsonReader.NameIs(ref reader, "excludes"u8))
            {
                s.Excludes = GoJsonReader.ReadStringList(ref reader, "excludes");
            }
            else if (GoJsonReader.NameIs(ref reader, "tags"u8))
            {
                s.Tags = GoJsonReader.ReadStringList(ref reader, "tags");
            }
            else if (GoJsonReader.NameIs(ref reader, "original"u8))
            {
                s.Original = GoJsonReader.ReadId(ref reader, "original") is { } id ? new SnapshotId(id) : null;
            }
            else if (GoJsonReader.NameIs(ref reader, "program_version"u8))
            {
                s.ProgramVersion = GoJsonReader.ReadString(ref reader, "program_version", s.ProgramVersion);
            }
            else if (GoJsonReader.NameIs(ref reader, "summary"u8))
            {
                GoJsonReader.MoveToValue(ref reader);
                s.Summary = reader.TokenType == JsonTokenType.Null ? null : SnapshotSummary.Read(ref reader, json);
            }
            else
            {
                var name = GoJsonReader.PropertyName(ref reader);
                s.ExtraFields.Add(new(name, GoJsonReader.ReadRawValue(ref reader, json)));
            }
        }
    }
}
