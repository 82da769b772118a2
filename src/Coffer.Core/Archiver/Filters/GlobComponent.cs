using System.Buffers;
using System.Text;

namespace Coffer.Core.Archiver.Filters;

/// <summary>
/// One path component of a pattern, compiled from Go's <c>filepath.Match</c> syntax and matched against the
/// UTF-8 bytes of one path component.
/// </summary>
/// <remarks>
/// Syntax: <c>*</c> any run of bytes, <c>?</c> one rune, <c>[...]</c> one rune in a set of single runes and
/// <c>lo-hi</c> ranges (<c>[^...]</c> negates; <c>!</c> is an ordinary member, as in Go), <c>\c</c> the literal c,
/// anything else itself. A class must hold at least one member; an unescaped <c>-</c> or <c>]</c> cannot start a
/// member; a trailing <c>\</c> or an unclosed class is an error. The pattern is cut at each run of stars into
/// chunks; each chunk is matched at the leftmost position where it fits (the last chunk must end at the end of
/// the name), the same search Go performs, so results agree byte for byte, including on invalid UTF-8, where a
/// rune is one byte decoding as U+FFFD. Immutable and thread-safe.
/// </remarks>
internal sealed class GlobComponent
{
    private readonly Chunk[] chunks;

    private GlobComponent(Chunk[] chunks)
    {
        this.chunks = chunks;
    }

    /// <summary>Compiles <paramref name="text"/>, or returns null with the reason in <paramref name="error"/>.</summary>
    public static GlobComponent? TryCompile(ReadOnlySpan<byte> text, out string? error)
    {
        var parsed = new List<Chunk>();
        var tokens = new List<Token>();
        var literal = new List<byte>();
        var star = false;
        var i = 0;
        error = null;
        while (i < text.Length)
        {
            var b = text[i];
            switch (b)
            {
                case (byte)'*':
                    // A run of stars ends the current chunk and starts one that may skip bytes.
                    FlushLiteral(literal, tokens);
                    if (tokens.Count > 0)
                    {
                        parsed.Add(new Chunk(star, [.. tokens]));
                        tokens.Clear();
                    }
                    star = true;
                    while (i < text.Length && text[i] == '*')
                    {
                        i++;
                    }
                    continue;
                case (byte)'?':
                    FlushLiteral(literal, tokens);
                    tokens.Add(Token.AnyRune);
                    i++;
                    continue;
                case (byte)'\\':
                    if (i + 1 >= text.Length)
                    {
                        error = "trailing backslash";
                        return null;
                    }
                    literal.Add(text[i + 1]);
                    i += 2;
                    continue;
                case (byte)'[':
                    FlushLiteral(literal, tokens);
                    if (!TryParseClass(text, ref i, out var token, out error))
                    {
                        return null;
                    }
                    tokens.Add(token);
                    continue;
                default:
                    literal.Add(b);
                    i++;
                    continue;
            }
        }
        FlushLiteral(literal, tokens);
        parsed.Add(new Chunk(star, [.. tokens]));
        return new GlobComponent([.. parsed]);
    }

    /// <summary>Whether the whole of <paramref name="name"/> matches.</summary>
    public bool Matches(ReadOnlySpan<byte> name)
    {
        var pos = 0;
        for (var k = 0; k < chunks.Length; k++)
        {
            var chunk = chunks[k];
            var last = k == chunks.Length - 1;
            if (chunk.LeadingStar && chunk.Tokens.Length == 0)
            {
                // A trailing star takes the rest (a component never contains a slash).
                return true;
            }
            var end = MatchChunk(chunk.Tokens, name, pos);
            if (end >= 0 && (!last || end == name.Length))
            {
                pos = end;
                continue;
            }
            if (!chunk.LeadingStar)
            {
                return false;
            }
            var found = false;
            for (var start = pos + 1; start <= name.Length; start++)
            {
                end = MatchChunk(chunk.Tokens, name, start);
                if (end >= 0 && (!last || end == name.Length))
                {
                    pos = end;
                    found = true;
                    break;
                }
            }
            if (!found)
            {
                return false;
            }
        }
        return pos == name.Length;
    }

    private static int MatchChunk(Token[] tokens, ReadOnlySpan<byte> name, int pos)
    {
        foreach (var token in tokens)
        {
            switch (token.Kind)
            {
                case TokenKind.Literal:
                    if (!name[pos..].StartsWith(token.Literal))
                    {
                        return -1;
                    }
                    pos += token.Literal!.Length;
                    break;
                case TokenKind.AnyRune:
                    if (pos >= name.Length)
                    {
                        return -1;
                    }
                    pos += DecodeRune(name[pos..], out _);
                    break;
                default:
                    if (pos >= name.Length)
                    {
                        return -1;
                    }
                    pos += DecodeRune(name[pos..], out var rune);
                    if (token.ClassContains(rune) == token.Negated)
                    {
                        return -1;
                    }
                    break;
            }
        }
        return pos;
    }

    /// <summary>Go's rune decoding: an invalid or truncated sequence is one byte standing for U+FFFD.</summary>
    private static int DecodeRune(ReadOnlySpan<byte> bytes, out int rune)
    {
        if (bytes[0] < 0x80)
        {
            rune = bytes[0];
            return 1;
        }
        if (Rune.DecodeFromUtf8(bytes, out var decoded, out var consumed) == OperationStatus.Done)
        {
            rune = decoded.Value;
            return consumed;
        }
        rune = Rune.ReplacementChar.Value;
        return 1;
    }

    private static bool TryParseClass(ReadOnlySpan<byte> text, ref int i, out Token token, out string? error)
    {
        token = default;
        i++; // '['
        var negated = false;
        if (i < text.Length && text[i] == '^')
        {
            negated = true;
            i++;
        }
        var ranges = new List<(int Lo, int Hi)>();
        while (true)
        {
            if (i < text.Length && text[i] == ']' && ranges.Count > 0)
            {
                i++;
                break;
            }
            if (!TryReadClassRune(text, ref i, out var lo, out error))
            {
                return false;
            }
            var hi = lo;
            if (text[i] == '-')
            {
                i++;
                if (!TryReadClassRune(text, ref i, out hi, out error))
                {
                    return false;
                }
            }
            ranges.Add((lo, hi));
        }
        token = Token.Class([.. ranges], negated);
        error = null;
        return true;
    }

    /// <summary>Reads one class member rune; like Go, it must be followed by more pattern text.</summary>
    private static bool TryReadClassRune(ReadOnlySpan<byte> text, ref int i, out int rune, out string? error)
    {
        rune = 0;
        if (i >= text.Length)
        {
            error = "unterminated character class";
            return false;
        }
        if (text[i] == '-' || text[i] == ']')
        {
            error = $"unexpected '{(char)text[i]}' in character class";
            return false;
        }
        if (text[i] == '\\')
        {
            i++;
            if (i >= text.Length)
            {
                error = "unterminated character class";
                return false;
            }
        }
        if (Rune.DecodeFromUtf8(text[i..], out var decoded, out var consumed) != OperationStatus.Done)
        {
            error = "invalid UTF-8 in character class";
            return false;
        }
        rune = decoded.Value;
        i += consumed;
        if (i >= text.Length)
        {
            error = "unterminated character class";
            return false;
        }
        error = null;
        return true;
    }

    private static void FlushLiteral(List<byte> literal, List<Token> tokens)
    {
        if (literal.Count > 0)
        {
            tokens.Add(Token.Bytes([.. literal]));
            literal.Clear();
        }
    }

    private enum TokenKind
    {
        Literal,
        AnyRune,
        Class,
    }

    private readonly record struct Chunk(bool LeadingStar, Token[] Tokens);

    private readonly record struct Token(TokenKind Kind, byte[]? Literal, (int Lo, int Hi)[]? Ranges, bool Negated)
    {
        public static Token AnyRune => new(TokenKind.AnyRune, null, null, false);

        public static Token Bytes(byte[] literal) => new(TokenKind.Literal, literal, null, false);

        public static Token Class((int Lo, int Hi)[] ranges, bool negated) => new(TokenKind.Class, null, ranges, negated);

        public bool ClassContains(int rune)
        {
            foreach (var (lo, hi) in Ranges!)
            {
                if (lo <= rune && rune <= hi)
                {
                    return true;
                }
            }
            return false;
        }
    }
}
