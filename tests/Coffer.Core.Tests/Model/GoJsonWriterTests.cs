using System.Buffers;
using System.Text;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Xunit;

namespace Coffer.Core.Tests.Model;

public sealed class GoJsonWriterTests
{
    private static string Write(Action<GoJsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new GoJsonWriter(buffer));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("<a>&", "\"\\u003ca\\u003e\\u0026\"")]
    [InlineData("q\"b\\", "\"q\\\"b\\\\\"")]
    [InlineData("\n\r\t\b\f\u0000\u001f\u007f", "\"\\n\\r\\t\\u0008\\u000c\\u0000\\u001f\u007f\"")]
    [InlineData("\u2028\u2029\u00e9😀", "\"\\u2028\\u2029\u00e9😀\"")]
    public void Strings_are_escaped_like_go(string value, string expected)
    {
        Assert.Equal(expected, Write(w => w.WriteString(value)));
        Assert.Equal(expected, Write(w => w.WriteString(Encoding.UTF8.GetBytes(value))));
    }

    [Fact]
    public void Invalid_utf8_bytes_become_escaped_replacement_characters()
    {
        Assert.Equal("\"a\\ufffd\\ufffdb\\ufffd\\ufffd\\ufffd\uFFFD\"", Write(w => w.WriteString([0x61, 0xFF, 0xFE, 0x62, 0xED, 0xA0, 0x80, 0xEF, 0xBF, 0xBD])));
    }

    [Fact]
    public void Commas_separate_members_and_elements()
    {
        var text = Write(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("a"u8);
            w.WriteNumber(1ul);
            w.WritePropertyName("b"u8);
            w.WriteStartArray();
            w.WriteNumber(-2L);
            w.WriteNull();
            w.WriteBoolean(true);
            w.WriteStartObject();
            w.WriteEndObject();
            w.WriteStartArray();
            w.WriteEndArray();
            w.WriteBase64([0xFF, 0xEE]);
            w.WriteId(Id.Zero);
            w.WriteTime(new GoTime(0, 10, -3600));
            w.WriteEndArray();
            w.WritePropertyName("c<"u8);
            w.WriteRawValue(" [ \"x y<\u2028\" , { \"k\" : \"\\\" \" } ] "u8);
            w.WriteEndObject();
        });
        Assert.Equal(
            "{\"a\":1,\"b\":[-2,null,true,{},[],\"/+4=\",\"" + new string('0', 64) + "\",\"1969-12-31T23:00:00.00000001-01:00\"],\"c\\u003c\":[\"x y\\u003c\\u2028\",{\"k\":\"\\\" \"}]}",
            text);
    }

    [Fact]
    public void Large_strings_use_a_rented_buffer()
    {
        var value = new string('é', 5000) + "<";
        Assert.Equal("\"" + new string('é', 5000) + "\\u003c\"", Write(w => w.WriteString(value)));
    }
}
