using System.Buffers;
using System.Text;
using System.Text.Json;
using Coffer.Core.Primitives;

namespace Coffer.Core.Model;

// JSON reading and writing of a node, in restic's field order and omission rules.
public sealed partial class Node
{
    /// <summary>Reads one node object; the reader is on its <c>{</c> and ends on its <c>}</c>. Unknown members are skipped.</summary>
    internal static Node Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        GoJsonReader.Expect(ref reader, JsonTokenType.StartObject, "node");
        var node = new Node();
        byte[]? linkTargetRaw = null;
        while (true)
        {
            GoJsonReader.MoveToValue(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }
            if (GoJsonReader.NameIs(ref reader, "name"u8))
            {
                var quoted = GoJsonReader.ReadStringBytes(ref reader, "name", null);
                if (quoted is not null)
                {
                    if (!GoQuote.TryUnquote(quoted, out var name))
                    {
                        throw new InvalidDataException($"node name \"{Encoding.UTF8.GetString(quoted)}\" is not a valid Go-quoted string");
                    }
                    node.Name = name;
                }
            }
            else if (GoJsonReader.NameIs(ref reader, "type"u8))
            {
                var text = GoJsonReader.ReadStringBytes(ref reader, "type", null);
                if (text is not null)
                {
                    node.Type = NodeTypeNames.Parse(text);
                    node.UnknownTypeName = node.Type == NodeType.Unknown ? Encoding.UTF8.GetString(text) : null;
                }
            }
            else if (GoJsonReader.NameIs(ref reader, "mode"u8))
            {
                node.Mode = GoJsonReader.ReadUInt32(ref reader, "mode", node.Mode);
            }
            else if (GoJsonReader.NameIs(ref reader, "mtime"u8))
            {
                node.ModTime = GoJsonReader.ReadTime(ref reader, "mtime", node.ModTime);
            }
            else if (GoJsonReader.NameIs(ref reader, "atime"u8))
            {
                node.AccessTime = GoJsonReader.ReadTime(ref reader, "atime", node.AccessTime);
            }
            else if (GoJsonReader.NameIs(ref reader, "ctime"u8))
            {
                node.ChangeTime = GoJsonReader.ReadTime(ref reader, "ctime", node.ChangeTime);
            }
            else if (GoJsonReader.NameIs(ref reader, "uid"u8))
            {
                node.Uid = GoJsonReader.ReadUInt32(ref reader, "uid", node.Uid);
            }
            else if (GoJsonReader.NameIs(ref reader, "gid"u8))
            {
                node.Gid = GoJsonReader.ReadUInt32(ref reader, "gid", node.Gid);
            }
            else if (GoJsonReader.NameIs(ref reader, "user"u8))
            {
                node.User = GoJsonReader.ReadRepeatedString(ref reader, "user", node.User)!;
            }
            else if (GoJsonReader.NameIs(ref reader, "group"u8))
            {
                node.Group = GoJsonReader.ReadRepeatedString(ref reader, "group", node.Group)!;
            }
            else if (GoJsonReader.NameIs(ref reader, "inode"u8))
            {
                node.Inode = GoJsonReader.ReadUInt64(ref reader, "inode", node.Inode);
            }
            else if (GoJsonReader.NameIs(ref reader, "device_id"u8))
            {
                node.DeviceId = GoJsonReader.ReadUInt64(ref reader, "device_id", node.DeviceId);
            }
            else if (GoJsonReader.NameIs(ref reader, "size"u8))
            {
                node.Size = GoJsonReader.ReadUInt64(ref reader, "size", node.Size);
            }
            else if (GoJsonReader.NameIs(ref reader, "links"u8))
            {
                node.Links = GoJsonReader.ReadUInt64(ref reader, "links", node.Links);
            }
            else if (GoJsonReader.NameIs(ref reader, "linktarget"u8))
            {
                node.LinkTarget = GoJsonReader.ReadStringBytes(ref reader, "linktarget", node.LinkTarget)!;
            }
            else if (GoJsonReader.NameIs(ref reader, "linktarget_raw"u8))
            {
                linkTargetRaw = GoJsonReader.ReadBase64(ref reader, "linktarget_raw");
            }
            else if (GoJsonReader.NameIs(ref reader, "extended_attributes"u8))
            {
                node.ExtendedAttributes = ReadExtendedAttributes(ref reader);
            }
            else if (GoJsonReader.NameIs(ref reader, "generic_attributes"u8))
            {
                node.GenericAttributes = ReadGenericAttributes(ref reader, json);
            }
            else if (GoJsonReader.NameIs(ref reader, "device"u8))
            {
                node.Device = GoJsonReader.ReadUInt64(ref reader, "device", node.Device);
            }
            else if (GoJsonReader.NameIs(ref reader, "content"u8))
            {
                node.Content = ReadContent(ref reader);
            }
            else if (GoJsonReader.NameIs(ref reader, "subtree"u8))
            {
                var id = GoJsonReader.ReadId(ref reader, "subtree");
                node.Subtree = id is { } value ? new BlobId(value) : null;
            }
            else if (GoJsonReader.NameIs(ref reader, "error"u8))
            {
                node.Error = GoJsonReader.ReadString(ref reader, "error", node.Error);
            }
            else
            {
                GoJsonReader.MoveToValue(ref reader);
                reader.Skip();
            }
        }
        if (linkTargetRaw is not null)
        {
            node.LinkTarget = linkTargetRaw;
        }
        return node;
    }

    /// <summary>Writes this node as one JSON object. <paramref name="scratch"/> is reused for the quoted name.</summary>
    internal void Write(GoJsonWriter writer, ArrayBufferWriter<byte> scratch)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("name"u8);
        scratch.ResetWrittenCount();
        GoQuote.Quote(Name, scratch);
        writer.WriteString(scratch.WrittenSpan);
        writer.WritePropertyName("type"u8);
        if (Type == NodeType.Unknown)
        {
            writer.WriteString(UnknownTypeName ?? "");
        }
        else
        {
            writer.WriteString(Type.Utf8Name());
        }
        if (Mode != 0)
        {
            writer.WritePropertyName("mode"u8);
            writer.WriteNumber(Mode);
        }
        writer.WritePropertyName("mtime"u8);
        writer.WriteTime(ModTime);
        writer.WritePropertyName("atime"u8);
        writer.WriteTime(AccessTime);
        writer.WritePropertyName("ctime"u8);
        writer.WriteTime(ChangeTime);
        writer.WritePropertyName("uid"u8);
        writer.WriteNumber(Uid);
        writer.WritePropertyName("gid"u8);
        writer.WriteNumber(Gid);
        WriteIfNotEmpty(writer, "user"u8, User);
        WriteIfNotEmpty(writer, "group"u8, Group);
        WriteIfNotZero(writer, "inode"u8, Inode);
        WriteIfNotZero(writer, "device_id"u8, DeviceId);
        WriteIfNotZero(writer, "size"u8, Size);
        WriteIfNotZero(writer, "links"u8, Links);
        if (LinkTarget.Length > 0)
        {
            writer.WritePropertyName("linktarget"u8);
            writer.WriteString(LinkTarget);
            if (!System.Text.Unicode.Utf8.IsValid(LinkTarget))
            {
                writer.WritePropertyName("linktarget_raw"u8);
                writer.WriteBase64(LinkTarget);
            }
        }
        if (ExtendedAttributes.Count > 0)
        {
            writer.WritePropertyName("extended_attributes"u8);
            writer.WriteStartArray();
            foreach (var attribute in ExtendedAttributes)
            {
                writer.WriteStartObject();
                writer.WritePropertyName("name"u8);
                writer.WriteString(attribute.Name);
                writer.WritePropertyName("value"u8);
                if (attribute.Value is null)
                {
                    writer.WriteNull();
                }
                else
                {
                    writer.WriteBase64(attribute.Value);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        if (GenericAttributes.Count > 0)
        {
            WriteGenericAttributes(writer);
        }
        WriteIfNotZero(writer, "device"u8, Device);
        writer.WritePropertyName("content"u8);
        if (Content is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteStartArray();
            foreach (var id in Content)
            {
                writer.WriteId(id.Value);
            }
            writer.WriteEndArray();
        }
        if (Subtree is { } subtree)
        {
            writer.WritePropertyName("subtree"u8);
            writer.WriteId(subtree.Value);
        }
        if (!string.IsNullOrEmpty(Error))
        {
            writer.WritePropertyName("error"u8);
            writer.WriteString(Error);
        }
        writer.WriteEndObject();
    }

    private void WriteGenericAttributes(GoJsonWriter writer)
    {
        var keys = new string[GenericAttributes.Count];
        GenericAttributes.Keys.CopyTo(keys, 0);
        // Go sorts map keys by their UTF-8 bytes; ordinal UTF-16 order differs above U+D7FF.
        Array.Sort(keys, static (a, b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));
        writer.WritePropertyName("generic_attributes"u8);
        writer.WriteStartObject();
        foreach (var key in keys)
        {
            writer.WritePropertyName(key);
            writer.WriteRawValue(GenericAttributes[key]);
        }
        writer.WriteEndObject();
    }

    private static void WriteIfNotEmpty(GoJsonWriter writer, ReadOnlySpan<byte> name, string value)
    {
        if (value.Length > 0)
        {
            writer.WritePropertyName(name);
            writer.WriteString(value);
        }
    }

    private static void WriteIfNotZero(GoJsonWriter writer, ReadOnlySpan<byte> name, ulong value)
    {
        if (value != 0)
        {
            writer.WritePropertyName(name);
            writer.WriteNumber(value);
        }
    }

    private static List<ExtendedAttribute> ReadExtendedAttributes(ref Utf8JsonReader reader)
    {
        GoJsonReader.MoveToValue(ref reader);
        var list = new List<ExtendedAttribute>();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return list;
        }
        GoJsonReader.Expect(ref reader, JsonTokenType.StartArray, "extended_attributes");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            GoJsonReader.Expect(ref reader, JsonTokenType.StartObject, "extended attribute");
            string name = "";
            byte[]? value = null;
            while (true)
            {
                GoJsonReader.MoveToValue(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }
                if (GoJsonReader.NameIs(ref reader, "name"u8))
                {
                    name = GoJsonReader.ReadString(ref reader, "extended attribute name", name)!;
                }
                else if (GoJsonReader.NameIs(ref reader, "value"u8))
                {
                    value = GoJsonReader.ReadBase64(ref reader, "extended attribute value");
                }
                else
                {
                    GoJsonReader.MoveToValue(ref reader);
                    reader.Skip();
                }
            }
            list.Add(new ExtendedAttribute(name, value));
        }
        return list;
    }

    private static Dictionary<string, byte[]> ReadGenericAttributes(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        GoJsonReader.MoveToValue(ref reader);
        var map = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return map;
        }
        GoJsonReader.Expect(ref reader, JsonTokenType.StartObject, "generic_attributes");
        while (true)
        {
            GoJsonReader.MoveToValue(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return map;
            }
            var key = GoJsonReader.PropertyName(ref reader);
            map[key] = GoJsonReader.ReadRawValue(ref reader, json);
        }
    }

    private static List<BlobId>? ReadContent(ref Utf8JsonReader reader)
    {
        GoJsonReader.MoveToValue(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        GoJsonReader.Expect(ref reader, JsonTokenType.StartArray, "content");
        var list = new List<BlobId>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(new BlobId(GoJsonReader.CurrentId(ref reader, "content")));
        }
        return list;
    }
}
