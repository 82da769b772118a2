using System.Text;
using System.Text.Json;
using Coffer.Core.Primitives;

namespace Coffer.Core.Model;

/// <summary>
/// Value readers over <see cref="Utf8JsonReader"/> with Go <c>encoding/json</c> decoding semantics: member
/// names match case-insensitively (ASCII), <c>null</c> leaves a field at its current value, integers must fit
/// their type exactly. Each method is called with the reader on a property name and reads its value.
/// Errors are thrown as <see cref="InvalidDataException"/>.
/// </summary>
internal static class GoJsonReader
{
    /// <summary>Options for every parse: comments and trailing commas refused, as Go does.</summary>
    public static JsonReaderOptions Options => new() { MaxDepth = 64 };

    /// <summary>True when the current property name equals <paramref name="expected"/> ignoring ASCII case.</summary>
    public static bool NameIs(ref Utf8JsonReader reader, ReadOnlySpan<byte> expected)
    {
        if (!reader.ValueIsEscaped)
        {
            return System.Text.Ascii.EqualsIgnoreCase(reader.ValueSpan, expected);
        }
        if (reader.ValueSpan.Length > 256)
        {
            return false;
        }
        Span<byte> scratch = stackalloc byte[256];
        var length = reader.CopyString(scratch);
        return System.Text.Ascii.EqualsIgnoreCase(scratch[..length], expected);
    }

    /// <summary>The current property name, unescaped.</summary>
    public static string PropertyName(ref Utf8JsonReader reader) => reader.GetString() ?? "";

    /// <summary>Moves to the value and fails on a truncated document.</summary>
    public static void MoveToValue(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new InvalidDataException("JSON ends inside an object");
        }
    }

    /// <summary>Reads an unsigned 64-bit integer; null keeps <paramref name="current"/>.</summary>
    public static ulong ReadUInt64(ref Utf8JsonReader reader, string field, ulong current)
    {
        MoveToValue(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return current;
        }
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt64(out var value))
        {
            throw new InvalidDataException($"field '{field}' is not an unsigned 64-bit integer");
        }
        return value;
    }

    /// <summary>Reads an unsigned 32-bit integer; null keeps <paramref name="current"/>.</summary>
    public static uint ReadUInt32(ref Utf8JsonReader reader, string field, uint current)
    {
        MoveToValue(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return current;
        }
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt32(out var value))
        {
            throw new InvalidDataException($"field '{field}' is not an unsigned 32-bit integer");
        }
        return value;
    }

    /// <summary>Reads a signed 64-bit integer; null keeps <paramref name="current"/>.</summary>
    public static long ReadInt64(ref Utf8JsonReader reader, string field, long current)
    {
        MoveToValue(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return current;
        }
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            throw new InvalidDataException($"field '{field}' is not a 64-bit integer");
        }
        return value;
    }

    /// <summary>Reads an RFC 3339 time; null keeps <paramref name="current"/>.</summary>
    public static GoTime ReadTime(ref Utf8JsonReader reader, string field, GoTime current)
    {
        MoveToValue(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return current;
        }
        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > 64)
        {
            throw new InvalidDataException($"field '{field}' is not a time string");
        }
        Span<byte> bytes = stackalloc byte[64];
        var length = reader.CopyString(bytes);
        Span<char> chars = stackalloc char[64];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)bytes[i];
        }
        if (!GoTime.TryParse(chars[..length], out var value))
        {
            throw new InvalidDataException($"field '{field}' is not an RFC 3339 time: '{chars[..length]}'");
        }
        return value;
    }

    /// <summary>Reads a string as its unescaped UTF-8 bytes; null keeps <paramref name="current"/>.</summary>
    public static byte[]? ReadStringBytes(ref Utf8JsonReader reader, string field, byte[]? current)
    {
        MoveToValue(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return current;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new InvalidDataException($"field '{field}' is not a string");
        }
        return StringBytes(ref reader);
    }

    /// <summary>The current string token, unescaped, as UTF-8 bytes.</summary>
    public static byte[] StringBytes(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan.ToArray();
        }
        var buffer = new byte[reader.ValueSpan.Length];
        var length = reader.CopyString(buffer);
        return length == buffer.Length ? buffer : buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>
    /// As <see cref="ReadString"/>, for values that repeat across many nodes (user and group names): the last
    /// few strings read on this thread are reused, so a tree of thousands of nodes holds one "root".
    /// </summary>
    public static string? ReadRepeatedString(ref Utf8JsonReader reader, string field, string? current)
    {
        var bytes = ReadStringBytes(ref reader, field, null);
        if (bytes is null)
        {
            return current;
        }
        var cache = _recentStrings ??= new string[8];
        foreach (var s in cache)
        {
            if (s is not null && Encoding.UTF8.GetByteCount(s) == bytes.Length && s.Length <= bytes.Length && EqualsUtf8(s, bytes))
            {
                return s;
            }
        }
        var value = Encoding.UTF8.GetString(bytes);
        cache[_recentNext] = value;
        _recentNext = (_recentNext + 1) % cache.Length;
        return value;
    }

    private static bool EqualsUtf8(string s, byte[] bytes)
    {
        Span<byte> encoded = stackalloc byte[256];
        return bytes.Length <= encoded.Length && Encoding.UTF8.GetBytes(s, encoded) == bytes.Length && encoded[..bytes.Length].SequenceEqual(bytes);
    }

    [ThreadStatic]
    private static string?[]? _recentStrings;

    [ThreadStatic]
    private static int _recentNext;

    /// <summary>Reads a string; null keeps <paramref name="current"/>.</summary>
    public static string? ReadString(ref Utf8JsonReader reader, string field, string? current)
    {
        var bytes = ReadStringBytes(ref reader, field, null);
        return bytes is null ? current : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Reads a list of strings; null gives an empty list.</summary>
    public static IReadOnlyList<string> ReadStringList(ref Utf8JsonReader reader, string field)
    {
        MoveToValue(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return [];
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new InvalidDataException($"field '{field}' is not an array");
        }
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new InvalidDataException($"field '{field}' holds a value that is not a string");
            }
            list.Add(Encoding.UTF8.GetString(StringBytes(ref reader)));
        }
        return list;
    }

    /// <summary>Reads a base64 byte array; null gives null.</summary>
    public static byte[]? ReadBase64(ref Utf8JsonReader reader, string field)
    {
        MoveToValue(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetBytesFromBase64(out var value))
        {
            throw new InvalidDataException($"field '{field}' is not a base64 string");
        }
        return value;
    }

    /// <summary>Reads a 64-digit hex id; null gives null.</summary>
    public static Id? ReadId(ref Utf8JsonReader reader, string field)
    {
        MoveToValue(ref reader);
        return reader.TokenType == JsonTokenType.Null ? null : CurrentId(ref reader, field);
    }

    /// <summary>The current token as a 64-digit hex id.</summary>
    public static Id CurrentId(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || !Id.TryParse(reader.ValueSpan, out var id))
        {
            throw new InvalidDataException($"field '{field}' is not a 64-digit hex id");
        }
        return id;
    }

    /// <summary>Reads any value and returns its JSON text exactly as it appears in <paramref name="json"/>.</summary>
    public static byte[] ReadRawValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        MoveToValue(ref reader);
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }
        return json[start..(int)reader.BytesConsumed].ToArray();
    }

    /// <summary>Fails unless the current token is <paramref name="expected"/>.</summary>
    public static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string what)
    {
        if (reader.TokenType != expected)
        {
            throw new InvalidDataException($"{what}: expected {expected}, found {reader.TokenType}");
        }
    }
}
