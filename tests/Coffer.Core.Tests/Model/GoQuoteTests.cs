using System.Text;
using Coffer.Core.Model;
using Xunit;

namespace Coffer.Core.Tests.Model;

public sealed class GoQuoteTests
{
    public static TheoryData<byte[], string> Cases => new()
    {
        { "weird \"quote\" back\\slash\ttab.txt"u8.ToArray(), "weird \\\"quote\\\" back\\\\slash\\ttab.txt" },
        { [.. "bad"u8, 0xFF, 0xFE, .. "utf8.txt"u8], "bad\\xff\\xfeutf8.txt" },
        { [.. "ctrl"u8, 0x01, 0x7F, .. ".txt"u8], "ctrl\\x01\\x7f.txt" },
        { Encoding.UTF8.GetBytes("nbsp\u00A0and\u2028ls.txt"), "nbsp\\u00a0and\\u2028ls.txt" },
        { "new\nline.txt"u8.ToArray(), "new\\nline.txt" },
        { "a<b>&c.txt"u8.ToArray(), "a<b>&c.txt" },
        { Encoding.UTF8.GetBytes("grüße-日本語.txt"), "grüße-日本語.txt" },
        { Encoding.UTF8.GetBytes("emoji😀.txt"), "emoji😀.txt" },
        { Encoding.UTF8.GetBytes("e\u0301"), "e\u0301" },
        { [0x07, 0x08, 0x0C, 0x0A, 0x0D, 0x09, 0x0B, 0x00, 0x1F], "\\a\\b\\f\\n\\r\\t\\v\\x00\\x1f" },
        { Encoding.UTF8.GetBytes("\u200B\uFEFF\U000E0001\U0010FFFF"), "\\u200b\\ufeff\\U000e0001\\U0010ffff" },
        { Encoding.UTF8.GetBytes("\uFFFD"), "\uFFFD" },
        { [0xED, 0xA0, 0x80], "\\xed\\xa0\\x80" }, // an encoded surrogate is not valid UTF-8
        { [0xC0, 0xAF], "\\xc0\\xaf" }, // overlong
        { [0xE6, 0x97, 0x41], "\\xe6\\x97A" }, // truncated sequence: one escape per byte
        { [0xF4, 0x90, 0x80, 0x80], "\\xf4\\x90\\x80\\x80" }, // above U+10FFFF
        { [], "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Quote_matches_go_and_unquote_reverses_it(byte[] raw, string quoted)
    {
        Assert.Equal(quoted, Encoding.UTF8.GetString(GoQuote.Quote(raw)));
        Assert.Equal(raw, GoQuote.Unquote(quoted));
    }

    [Theory]
    [InlineData("\\101\\040\\377", new byte[] { 0x41, 0x20, 0xFF })]
    [InlineData("\\x41\\xFf", new byte[] { 0x41, 0xFF })]
    [InlineData("\\u00e9\\U0001F600", new byte[] { 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80 })]
    [InlineData("tab\there", new byte[] { 0x74, 0x61, 0x62, 0x09, 0x68, 0x65, 0x72, 0x65 })]
    public void Unquote_accepts_every_go_escape(string quoted, byte[] raw)
    {
        Assert.Equal(raw, GoQuote.Unquote(quoted));
    }

    [Theory]
    [InlineData("a\"b")]
    [InlineData("a\nb")]
    [InlineData("trailing\\")]
    [InlineData("\\q")]
    [InlineData("\\'")]
    [InlineData("\\400")]
    [InlineData("\\12")]
    [InlineData("\\x4")]
    [InlineData("\\xzz")]
    [InlineData("\\ud800")]
    [InlineData("\\U00110000")]
    [InlineData("\\Uffffffff")]
    public void Unquote_refuses_what_go_refuses(string quoted)
    {
        Assert.False(GoQuote.TryUnquote(Encoding.UTF8.GetBytes(quoted), out _));
        Assert.Throws<FormatException>(() => GoQuote.Unquote(quoted));
    }

    [Fact]
    public void Unquote_replaces_invalid_utf8_like_go()
    {
        Assert.Equal([0x61, 0xEF, 0xBF, 0xBD, 0x09], GoQuote.Unquote([0x61, 0xFF, (byte)'\\', (byte)'t']));
    }

    [Fact]
    public void String_overloads_round_trip()
    {
        Assert.Equal("x\\ty", GoQuote.Quote("x\ty"));
        Assert.Equal("a b", Encoding.UTF8.GetString(GoQuote.Unquote("a b")));
    }

    [Theory]
    [InlineData(0x20, true)]
    [InlineData(0xA0, false)]
    [InlineData(0x2028, false)]
    [InlineData(0x0301, true)]
    [InlineData(0x00AD, false)] // soft hyphen: format character
    [InlineData(0xE000, false)] // private use
    [InlineData(0x0378, false)] // unassigned
    [InlineData(0x1F600, true)]
    public void IsPrint_follows_go(int codePoint, bool printable)
    {
        Assert.Equal(printable, GoQuote.IsPrint(new Rune(codePoint)));
    }
}
