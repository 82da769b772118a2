using System.Buffers;
using System.Globalization;
using System.Text;

namespace Coffer.Core.Model;

/// <summary>
/// Go's <c>strconv.Quote</c> and <c>strconv.Unquote</c> without the surrounding quotes: the form in which
/// restic stores node names, so that names with arbitrary bytes survive JSON.
/// </summary>
/// <remarks>
/// Quoting keeps printable runes as UTF-8 and escapes the rest: <c>\"</c> and <c>\\</c>; <c>\a \b \f \n \r \t \v</c>;
/// other bytes below 0x20, 0x7F and every byte not part of valid UTF-8 as <c>\xHH</c>; other non-printable runes
/// as <c>\uHHHH</c> or <c>\UHHHHHHHH</c>; hex digits lowercase. "Printable" is Go's definition: Unicode categories
/// L, M, N, P, S plus U+0020, taken here from <see cref="Rune.GetUnicodeCategory"/>. Go 1.19 (restic 0.14) uses
/// Unicode 13 tables and .NET a newer version, so the two disagree only on characters assigned after Unicode 13
/// (Go escapes them, this class keeps them); both unquote either form to the same bytes.
/// All members are stateless and thread-safe.
/// </remarks>
public static class GoQuote
{
    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    /// <summary>Quotes raw name bytes and returns the quoted form's bytes (always ASCII plus valid UTF-8).</summary>
    public static byte[] Quote(ReadOnlySpan<byte> name)
    {
        var buffer = new ArrayBufferWriter<byte>(name.Length + 8);
        Quote(name, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Quotes raw name bytes into <paramref name="output"/>.</summary>
    public static void Quote(ReadOnlySpan<byte> name, IBufferWriter<byte> output)
    {
        var i = 0;
        while (i < name.Length)
        {
            var b = name[i];
            if (b < 0x80)
            {
                WriteAsciiEscaped(b, output);
                i++;
                continue;
            }
            if (Rune.DecodeFromUtf8(name[i..], out var rune, out var consumed) != OperationStatus.Done)
            {
                // Go decodes an invalid sequence one byte at a time.
                WriteHexEscape((byte)'x', b, 2, output);
                i++;
                continue;
            }
            if (IsPrint(rune))
            {
                output.Write(name.Slice(i, consumed));
            }
            else if (rune.Value < 0x10000)
            {
                WriteHexEscape((byte)'u', rune.Value, 4, output);
            }
            else
            {
                WriteHexEscape((byte)'U', rune.Value, 8, output);
            }
            i += consumed;
        }
    }

    /// <summary>Quotes a name given as a string (encoded as UTF-8 first) and returns the quoted string.</summary>
    public static string Quote(string name) => Encoding.UTF8.GetString(Quote(Encoding.UTF8.GetBytes(name)));

    /// <summary>
    /// Reverses <see cref="Quote(ReadOnlySpan{byte})"/> with Go's <c>strconv.Unquote</c> rules for a double-quoted
    /// string: accepts <c>\a \b \f \n \r \t \v \\ \"</c>, <c>\xHH</c>, octal <c>\NNN</c> (up to 377) as single
    /// bytes, <c>\uHHHH</c> and <c>\UHHHHHHHH</c> as UTF-8 of a valid non-surrogate code point; any other byte
    /// stands for itself, except that an unescaped <c>"</c> or a newline is refused and a byte not part of valid
    /// UTF-8 becomes U+FFFD, as in Go.
    /// </summary>
    /// <exception cref="FormatException">The text is not a valid quoted form.</exception>
    public static byte[] Unquote(ReadOnlySpan<byte> quoted)
    {
        if (!TryUnquote(quoted, out var name))
        {
            throw new FormatException($"not a valid Go-quoted name: \"{Encoding.UTF8.GetString(quoted)}\"");
        }
        return name;
    }

    /// <summary>Unquotes a string (see <see cref="Unquote(ReadOnlySpan{byte})"/>).</summary>
    /// <exception cref="FormatException">The text is not a valid quoted form.</exception>
    public static byte[] Unquote(string quoted) => Unquote(Encoding.UTF8.GetBytes(quoted));

    /// <summary>Unquotes (see <see cref="Unquote(ReadOnlySpan{byte})"/>); false when the text is invalid.</summary>
    public static bool TryUnquote(ReadOnlySpan<byte> quoted, out byte[] name)
    {
        // Most names need no unescaping: one copy, no intermediate buffer.
        if (quoted.IndexOfAny((byte)'\\', (byte)'"', (byte)'\n') < 0 && System.Text.Unicode.Utf8.IsValid(quoted))
        {
            name = quoted.ToArray();
            return true;
        }
        var output = new ArrayBufferWriter<byte>(quoted.Length);
        name = [];
        var i = 0;
        while (i < quoted.Length)
        {
            var b = quoted[i];
            if (b is (byte)'"' or (byte)'\n')
            {
                return false;
            }
            if (b != '\\')
            {
                if (b < 0x80)
                {
                    WriteByte(b, output);
                    i++;
                }
                else if (Rune.DecodeFromUtf8(quoted[i..], out _, out var consumed) == OperationStatus.Done)
                {
                    output.Write(quoted.Slice(i, consumed));
                    i += consumed;
                }
                else
                {
                    output.Write("\uFFFD"u8);
                    i++;
                }
                continue;
            }
            if (i + 1 >= quoted.Length)
            {
                return false;
            }
            var c = quoted[i + 1];
            i += 2;
            switch (c)
            {
                case (byte)'a': WriteByte(0x07, output); break;
                case (byte)'b': WriteByte(0x08, output); break;
                case (byte)'f': WriteByte(0x0C, output); break;
                case (byte)'n': WriteByte(0x0A, output); break;
                case (byte)'r': WriteByte(0x0D, output); break;
                case (byte)'t': WriteByte(0x09, output); break;
                case (byte)'v': WriteByte(0x0B, output); break;
                case (byte)'\\': WriteByte((byte)'\\', output); break;
                case (byte)'"': WriteByte((byte)'"', output); break;
                case (byte)'x':
                    if (!TryHex(quoted, i, 2, out var x))
                    {
                        return false;
                    }
                    WriteByte((byte)x, output);
                    i += 2;
                    break;
                case (byte)'u':
                case (byte)'U':
                    var n = c == 'u' ? 4 : 8;
                    if (!TryHex(quoted, i, n, out var v) || !Rune.IsValid(v))
                    {
                        return false;
                    }
                    var span = output.GetSpan(4);
                    output.Advance(new Rune(v).EncodeToUtf8(span));
                    i += n;
                    break;
                case >= (byte)'0' and <= (byte)'7':
                    if (i + 1 >= quoted.Length || quoted[i] is < (byte)'0' or > (byte)'7' || quoted[i + 1] is < (byte)'0' or > (byte)'7')
                    {
                        return false;
                    }
                    var octal = ((c - '0') << 6) | ((quoted[i] - '0') << 3) | (quoted[i + 1] - '0');
                    if (octal > 255)
                    {
                        return false;
                    }
                    WriteByte((byte)octal, output);
                    i += 2;
                    break;
                default:
                    return false;
            }
        }
        name = output.WrittenSpan.ToArray();
        return true;
    }

    /// <summary>
    /// Go's <c>strconv.IsPrint</c>: letters, marks, numbers, punctuation, symbols and U+0020
    /// (Unicode version of the running .NET, see the class remarks).
    /// </summary>
    public static bool IsPrint(Rune rune)
    {
        if (rune.Value == ' ')
        {
            return true;
        }
        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
            case UnicodeCategory.ConnectorPunctuation:
            case UnicodeCategory.DashPunctuation:
            case UnicodeCategory.OpenPunctuation:
            case UnicodeCategory.ClosePunctuation:
            case UnicodeCategory.InitialQuotePunctuation:
            case UnicodeCategory.FinalQuotePunctuation:
            case UnicodeCategory.OtherPunctuation:
            case UnicodeCategory.MathSymbol:
            case UnicodeCategory.CurrencySymbol:
            case UnicodeCategory.ModifierSymbol:
            case UnicodeCategory.OtherSymbol:
                return true;
            default:
                return false;
        }
    }

    private static void WriteAsciiEscaped(byte b, IBufferWriter<byte> output)
    {
        switch (b)
        {
            case (byte)'"': output.Write("\\\""u8); return;
            case (byte)'\\': output.Write("\\\\"u8); return;
            case 0x07: output.Write("\\a"u8); return;
            case 0x08: output.Write("\\b"u8); return;
            case 0x0C: output.Write("\\f"u8); return;
            case 0x0A: output.Write("\\n"u8); return;
            case 0x0D: output.Write("\\r"u8); return;
            case 0x09: output.Write("\\t"u8); return;
            case 0x0B: output.Write("\\v"u8); return;
        }
        if (b < 0x20 || b == 0x7F)
        {
            WriteHexEscape((byte)'x', b, 2, output);
        }
        else
        {
            WriteByte(b, output);
        }
    }

    private static void WriteByte(byte b, IBufferWriter<byte> output)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }

    private static void WriteHexEscape(byte letter, int value, int digits, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(digits + 2);
        span[0] = (byte)'\\';
        span[1] = letter;
        for (var d = 0; d < digits; d++)
        {
            span[2 + d] = HexDigits[(value >> (4 * (digits - 1 - d))) & 0xF];
        }
        output.Advance(digits + 2);
    }

    private static bool TryHex(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }
        for (var k = 0; k < count; k++)
        {
            var h = s[start + k];
            int d;
            if (h is >= (byte)'0' and <= (byte)'9')
            {
                d = h - '0';
            }
            else if (h is >= (byte)'a' and <= (byte)'f')
            {
                d = h - 'a' + 10;
            }
            else if (h is >= (byte)'A' and <= (byte)'F')
            {
                d = h - 'A' + 10;
            }
            else
            {
                return false;
            }
            // 8 hex digits can exceed int; anything above 0x10FFFF is invalid anyway.
            if (value > 0x10FFFF)
            {
                return false;
            }
            value = (value << 4) | d;
        }
        return true;
    }
}
