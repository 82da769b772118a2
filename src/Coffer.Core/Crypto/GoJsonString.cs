using System.Buffers;
using System.Text;

namespace Coffer.Core.Crypto;

/// <summary>
/// Writes a JSON string literal byte-for-byte as Go's <c>encoding/json</c> does (Go ≤ 1.21, which built restic 0.14):
/// <c>\"</c>, <c>\\</c>, <c>\n</c>, <c>\r</c>, <c>\t</c>; other control characters, <c>&lt;</c>, <c>&gt;</c>,
/// <c>&amp;</c>, U+2028 and U+2029 as <c>\u00xx</c>/<c>\u20xx</c> with lowercase hex; unpaired surrogates as
/// <c>\ufffd</c>; everything else as raw UTF-8.
/// </summary>
internal static class GoJsonString
{
    private const string Hex = "0123456789abcdef";

    /// <summary>Appends <paramref name="value"/> as a quoted JSON string.</summary>
    public static void Write(IBufferWriter<byte> output, string value)
    {
        Span<byte> utf8 = stackalloc byte[4];
        output.Write("\""u8);
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            var status = Rune.DecodeFromUtf16(rest, out var rune, out var consumed);
            rest = rest[consumed..];
            if (status != OperationStatus.Done)
            {
                WriteUnicodeEscape(output, 0xfffd);
                continue;
            }
            var c = rune.Value;
            switch (c)
            {
                case '"':
                    output.Write("\\\""u8);
                    break;
                case '\\':
                    output.Write("\\\\"u8);
                    break;
                case '\n':
                    output.Write("\\n"u8);
                    break;
                case '\r':
                    output.Write("\\r"u8);
                    break;
                case '\t':
                    output.Write("\\t"u8);
                    break;
                case < 0x20 or '<' or '>' or '&' or 0x2028 or 0x2029:
                    WriteUnicodeEscape(output, c);
                    break;
                default:
                    var n = rune.EncodeToUtf8(utf8);
                    output.Write(utf8[..n]);
                    break;
            }
        }
        output.Write("\""u8);
    }

    private static void WriteUnicodeEscape(IBufferWriter<byte> output, int c)
    {
        Span<byte> escape = stackalloc byte[6];
        escape[0] = (byte)'\\';
        escape[1] = (byte)'u';
        escape[2] = (byte)Hex[(c >> 12) & 0xf];
        escape[3] = (byte)Hex[(c >> 8) & 0xf];
        escape[4] = (byte)Hex[(c >> 4) & 0xf];
        escape[5] = (byte)Hex[c & 0xf];
        output.Write(escape);
    }
}
