using System.Buffers;

namespace Coffer.Core.Model;

/// <summary>
/// The JSON lines of restic's <c>ls --json</c>: one line for the snapshot, then one per node. Lines are returned
/// without the trailing newline. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// A node line holds <c>name</c>, <c>type</c>, <c>path</c>, <c>uid</c>, <c>gid</c>, <c>size</c> (files only,
/// even when 0), <c>mode</c> (omitted if 0), <c>permissions</c> (the stored mode as <see cref="FileModeText"/>),
/// <c>mtime</c>, <c>atime</c>, <c>ctime</c> and <c>struct_type</c> = <c>node</c>. Name and path are the raw
/// bytes as JSON strings (not Go-quoted; bytes that are not valid UTF-8 show as <c>\ufffd</c>).
/// </remarks>
public static class NodeJsonLines
{
    /// <summary>
    /// The line for <paramref name="node"/> found at <paramref name="path"/> (raw bytes, e.g. <c>/src/a.txt</c>).
    /// Times are shown in <paramref name="zone"/>; null keeps the offset stored in the tree, which is what restic
    /// prints (it keeps the offset it parsed; the stored offset is the backup machine's local one).
    /// </summary>
    public static byte[] FormatNode(Node node, ReadOnlySpan<byte> path, TimeZoneInfo? zone)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        var w = new GoJsonWriter(buffer);
        w.WriteStartObject();
        w.WritePropertyName("name"u8);
        w.WriteString(node.Name);
        w.WritePropertyName("type"u8);
        if (node.Type == NodeType.Unknown)
        {
            w.WriteString(node.UnknownTypeName ?? "");
        }
        else
        {
            w.WriteString(node.Type.Utf8Name());
        }
        w.WritePropertyName("path"u8);
        w.WriteString(path);
        w.WritePropertyName("uid"u8);
        w.WriteNumber(node.Uid);
        w.WritePropertyName("gid"u8);
        w.WriteNumber(node.Gid);
        if (node.Type == NodeType.File)
        {
            w.WritePropertyName("size"u8);
            w.WriteNumber(node.Size);
        }
        if (node.Mode != 0)
        {
            w.WritePropertyName("mode"u8);
            w.WriteNumber(node.Mode);
        }
        w.WritePropertyName("permissions"u8);
        Span<byte> mode = stackalloc byte[FileModeText.MaxLength];
        w.WriteString(mode[..FileModeText.Format(node.Mode, mode)]);
        w.WritePropertyName("mtime"u8);
        w.WriteTime(zone is null ? node.ModTime : node.ModTime.InZone(zone));
        w.WritePropertyName("atime"u8);
        w.WriteTime(zone is null ? node.AccessTime : node.AccessTime.InZone(zone));
        w.WritePropertyName("ctime"u8);
        w.WriteTime(zone is null ? node.ChangeTime : node.ChangeTime.InZone(zone));
        w.WritePropertyName("struct_type"u8);
        w.WriteString("node"u8);
        w.WriteEndObject();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The first line: the snapshot's JSON members (without unknown extra members), then <c>id</c>,
    /// <c>short_id</c> and <c>struct_type</c> = <c>snapshot</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The snapshot has no <see cref="Snapshot.Id"/>.</exception>
    public static byte[] FormatSnapshot(Snapshot snapshot)
    {
        if (snapshot.Id is not { } id)
        {
            throw new ArgumentException("the snapshot's id is not set", nameof(snapshot));
        }
        var buffer = new ArrayBufferWriter<byte>(512);
        var w = new GoJsonWriter(buffer);
        w.WriteStartObject();
        snapshot.WriteMembers(w, includeExtraFields: false);
        w.WritePropertyName("id"u8);
        w.WriteId(id.Value);
        w.WritePropertyName("short_id"u8);
        w.WriteString(id.ToShortString());
        w.WritePropertyName("struct_type"u8);
        w.WriteString("snapshot"u8);
        w.WriteEndObject();
        return buffer.WrittenSpan.ToArray();
    }
}
