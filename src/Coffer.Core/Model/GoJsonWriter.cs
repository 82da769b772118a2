using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Coffer.Core.Primitives;

namespace Coffer.Core.Model;

/// <summary>
/// Writes compact JSON byte-identical to Go's <c>encoding/json</c> (Go 1.19, as used by restic 0.14):
/// no whitespace, HTML-safe string escaping (<c>&lt; &gt; &amp;</c> as <c>\u003c</c>…), U+2028/U+2029
/// escaped, control characters as <c>\u00XX</c> except <c>\n \r \t</c>, invalid UTF-8 bytes as
/// <c>\ufffd</c>, lowercase hex, integers as plain decimals, byte arrays as padded standard base64.
/// </summary>
/// <remarks>
/// The writer inserts commas itself: call <see cref="WritePropertyName(ReadOnlySpan{byte})"/> before each member value and
/// the value methods in order. It does not check that the calls form valid JSON. Not thread-safe; the
/// caller owns <paramref name="output"/> and reads it once writing is done.
/// </remarks>
/// <param name="output">Where the bytes go.</param>
public sealed class GoJsonWriter(IBufferWriter<byte> output)
{
    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    private readonly IBufferWriter<byte> _output = output;
    private bool _needComma;

    /// <summary>Writes <c>{</c>.</summary>
    public void WriteStartObject() => WriteOpen((byte)'{');

    /// <summary>Writes <c>}</c>.</summary>
    public void WriteEndObject() => WriteClose((byte)'}');

    /// <summary>Writes <c>[</c>.</summary>
    public void WriteStartArray() => WriteOpen((byte)'[');

    /// <summary>Writes <c>]</c>.</summary>
    public void WriteEndArray() => WriteClose((byte)']');

    /// <summary>Writes a member name (escaped like any Go string) and the colon.</summary>
    public void WritePropertyName(ReadOnlySpan<byte> name)
    {
        BeginValue();
        WriteQuoted(name);
        WriteAscii(":"u8);
        _needComma = false;
    }

    /// <summary>Writes a member name (escaped like any Go string) and the colon.</summary>
    public void WritePropertyName(string name)
    {
        WriteString(name);
        WriteAscii(":"u8);
        _needComma = false;
    }

    /// <summary>Writes <c>null</c>.</summary>
    public void WriteNull()
    {
        BeginValue();
        WriteAscii("null"u8);
        _needComma = true;
    }

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    public void WriteBoolean(bool value)
    {
        BeginValue();
        WriteAscii(value ? "true"u8 : "false"u8);
        _needComma = true;
    }

    /// <summary>Writes an unsigned integer as plain decimal digits.</summary>
    public void WriteNumber(ulong value)
    {
        BeginValue();
        var span = _output.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        _output.Advance(written);
        _needComma = true;
    }

    /// <summary>Writes a signed integer as plain decimal digits.</summary>
    public void WriteNumber(long value)
    {
        BeginValue();
        var span = _output.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        _output.Advance(written);
        _needComma = true;
    }

    /// <summary>
    /// Writes a Go string given as its raw bytes. Valid UTF-8 passes through (escaped as Go does);
    /// every byte that is not part of valid UTF-8 becomes <c>\ufffd</c>.
    /// </summary>
    public void WriteString(ReadOnlySpan<byte> value)
    {
        BeginValue();
        WriteQuoted(value);
        _needComma = true;
    }

    /// <summary>
    /// Writes a string. It is transcoded to UTF-8 first; an unpaired surrogate becomes U+FFFD written raw
    /// (Go strings cannot hold one, so this case has no Go counterpart).
    /// </summary>
    public void WriteString(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var buffer = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Encoding.UTF8.GetBytes(value, buffer);
            WriteString(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Writes a byte array as a string holding its padded standard base64 form (Go's <c>[]byte</c>).</summary>
    public void WriteBase64(ReadOnlySpan<byte> value)
    {
        BeginValue();
        var length = Base64.GetMaxEncodedToUtf8Length(value.Length);
        var span = _output.GetSpan(length + 2);
        span[0] = (byte)'"';
        Base64.EncodeToUtf8(value, span[1..], out _, out var written);
        span[written + 1] = (byte)'"';
        _output.Advance(written + 2);
        _needComma = true;
    }

    /// <summary>Writes an id as a string of 64 lowercase hex digits.</summary>
    public void WriteId(Id value)
    {
        BeginValue();
        Span<byte> raw = stackalloc byte[Id.Size];
        value.CopyTo(raw);
        var span = _output.GetSpan(Id.Size * 2 + 2);
        span[0] = (byte)'"';
        for (var i = 0; i < raw.Length; i++)
        {
            span[1 + 2 * i] = HexDigits[raw[i] >> 4];
            span[2 + 2 * i] = HexDigits[raw[i] & 0xF];
        }
        span[Id.Size * 2 + 1] = (byte)'"';
        _output.Advance(Id.Size * 2 + 2);
        _needComma = true;
    }

    /// <summary>Writes a time as a string in Go's RFC 3339 nanosecond form, identical to <see cref="GoTime.ToString"/>.</summary>
    public void WriteTime(GoTime value)
    {
        BeginValue();
        var span = _output.GetSpan(40);
        span[0] = (byte)'"';
        var length = 1 + GoTimeText.Format(value, span[1..]);
        span[length++] = (byte)'"';
        _output.Advance(length);
        _needComma = true;
    }

    /// <summary>
    /// Writes an already encoded JSON value (a Go <c>json.RawMessage</c>) the way Go re-emits one:
    /// whitespace outside strings removed and <c>&lt; &gt; &amp;</c>, U+2028, U+2029 inside strings escaped.
    /// The value is not validated; pass only text that came from a JSON parser.
    /// </summary>
    public void WriteRawValue(ReadOnlySpan<byte> json)
    {
        BeginValue();
        var inString = false;
        var start = 0;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (inString)
            {
                if (b == '\\')
                {
                    i++; // the escaped character cannot end the string
                }
                else if (b == '"')
                {
                    inString = false;
                }
                else if (b is (byte)'<' or (byte)'>' or (byte)'&')
                {
                    WriteAscii(json[start..i]);
                    WriteUnicodeEscape(b);
                    start = i + 1;
                }
                else if (b == 0xE2 && i + 2 < json.Length && json[i + 1] == 0x80 && json[i + 2] is 0xA8 or 0xA9)
                {
                    WriteAscii(json[start..i]);
                    WriteUnicodeEscape(json[i + 2] == 0xA8 ? 0x2028 : 0x2029);
                    i += 2;
                    start = i + 1;
                }
            }
            else if (b == '"')
            {
                inString = true;
            }
            else if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                WriteAscii(json[start..i]);
                start = i + 1;
            }
        }
        WriteAscii(json[start..]);
        _needComma = true;
    }

    /// <summary>Writes bytes verbatim, with no comma handling. For framing such as a trailing newline.</summary>
    public void WriteVerbatim(ReadOnlySpan<byte> bytes) => WriteAscii(bytes);

    private void WriteOpen(byte b)
    {
        BeginValue();
        var span = _output.GetSpan(1);
        span[0] = b;
        _output.Advance(1);
        _needComma = false;
    }

    private void WriteClose(byte b)
    {
        var span = _output.GetSpan(1);
        span[0] = b;
        _output.Advance(1);
        _needComma = true;
    }

    private void BeginValue()
    {
        if (_needComma)
        {
            var span = _output.GetSpan(1);
            span[0] = (byte)',';
            _output.Advance(1);
        }
    }

    private void WriteAscii(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }
        var span = _output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        _output.Advance(bytes.Length);
    }

    private void WriteUnicodeEscape(int codeUnit)
    {
        var span = _output.GetSpan(6);
        span[0] = (byte)'\\';
        span[1] = (byte)'u';
        span[2] = HexDigits[(codeUnit >> 12) & 0xF];
        span[3] = HexDigits[(codeUnit >> 8) & 0xF];
        span[4] = HexDigits[(codeUnit >> 4) & 0xF];
        span[5] = HexDigits[codeUnit & 0xF];
        _output.Advance(6);
    }

    private void WriteQuoted(ReadOnlySpan<byte> s)
    {
        WriteAscii("\""u8);
        var start = 0;
        var i = 0;
        while (i < s.Length)
        {
            var b = s[i];
            if (b < 0x80)
            {
                if (b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&')
                {
                    i++;
                    continue;
                }
                WriteAscii(s[start..i]);
                switch (b)
                {
                    case (byte)'"':
                        WriteAscii("\\\""u8);
                        break;
                    case (byte)'\\':
                        WriteAscii("\\\\"u8);
                        break;
                    case (byte)'\n':
                        WriteAscii("\\n"u8);
                        break;
                    case (byte)'\r':
                        WriteAscii("\\r"u8);
                        break;
                    case (byte)'\t':
                        WriteAscii("\\t"u8);
                        break;
                    default:
                        WriteUnicodeEscape(b);
                        break;
                }
                i++;
                start = i;
                continue;
            }
            if (Rune.DecodeFromUtf8(s[i..], out var rune, out var consumed) != OperationStatus.Done)
            {
                // Go decodes an invalid sequence one byte at a time, each becoming U+FFFD.
                WriteAscii(s[start..i]);
                WriteAscii("\\ufffd"u8);
                i++;
                start = i;
                continue;
            }
            if (rune.Value is 0x2028 or 0x2029)
            {
                WriteAscii(s[start..i]);
                WriteUnicodeEscape(rune.Value);
                i += consumed;
                start = i;
                continue;
            }
            i += consumed;
        }
        WriteAscii(s[start..]);
        WriteAscii("\""u8);
    }
}
