using System.Buffers;
using Coffer.Core.Model;

namespace Coffer.Core.Restorer;

/// <summary>
/// A match of restic's <c>find --json</c> as one JSON object: <c>path</c>, <c>permissions</c>, then the node's
/// own members in restic's order without <c>name</c>, <c>inode</c>, <c>extended_attributes</c>, <c>device</c>,
/// <c>content</c> and <c>subtree</c>. Times keep the offset stored in the tree. Stateless and thread-safe.
/// </summary>
public static class FinderNodeJson
{
    /// <summary>The object for <paramref name="node"/> found at <paramref name="path"/> (raw bytes).</summary>
    public static byte[] Format(Node node, ReadOnlySpan<byte> path)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        var w = new GoJsonWriter(buffer);
        w.WriteStartObject();
        w.WritePropertyName("path"u8);
        w.WriteString(path);
        w.WritePropertyName("permissions"u8);
        Span<byte> mode = stackalloc byte[FileModeText.MaxLength];
        w.WriteString(mode[..FileModeText.Format(node.Mode, mode)]);
        w.WritePropertyName("type"u8);
        if (node.Type == NodeType.Unknown)
        {
            w.WriteString(node.UnknownTypeName ?? "");
        }
        else
        {
            w.WriteString(node.Type.Utf8Name());
        }
        if (node.Mode != 0)
        {
            w.WritePropertyName("mode"u8);
            w.WriteNumber(node.Mode);
        }
        w.WritePropertyName("mtime"u8);
        w.WriteTime(node.ModTime);
        w.WritePropertyName("atime"u8);
        w.WriteTime(node.AccessTime);
        w.WritePropertyName("ctime"u8);
        w.WriteTime(node.ChangeTime);
        w.WritePropertyName("uid"u8);
        w.WriteNumber(node.Uid);
        w.WritePropertyName("gid"u8);
        w.WriteNumber(node.Gid);
        WriteText(w, "user"u8, node.User);
        WriteText(w, "group"u8, node.Group);
        WriteNumber(w, "device_id"u8, node.DeviceId);
        WriteNumber(w, "size"u8, node.Size);
        WriteNumber(w, "links"u8, node.Links);
        if (node.LinkTarget.Length > 0)
        {
            w.WritePropertyName("linktarget"u8);
            w.WriteString(node.LinkTarget);
            if (!System.Text.Unicode.Utf8.IsValid(node.LinkTarget))
            {
                w.WritePropertyName("linktarget_raw"u8);
                w.WriteBase64(node.LinkTarget);
            }
        }
        if (!string.IsNullOrEmpty(node.Error))
        {
            w.WritePropertyName("error"u8);
            w.WriteString(node.Error);
        }
        w.WriteEndObject();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteText(GoJsonWriter w, ReadOnlySpan<byte> name, string value)
    {
        if (value.Length > 0)
        {
            w.WritePropertyName(name);
            w.WriteString(value);
        }
    }

    private static void WriteNumber(GoJsonWriter w, ReadOnlySpan<byte> name, ulong value)
    {
        if (value != 0)
        {
            w.WritePropertyName(name);
            w.WriteNumber(value);
        }
    }
}
