using Coffer.Core.Primitives;
using Xunit;

namespace Coffer.Core.Tests.Model;

public sealed class GoTimeTextTests
{
    [Theory]
    [InlineData("5874-07-07T03:17:57.114764135Z")]
    [InlineData("5706-01-13T20:34:29-06:41")]
    [InlineData("9999-12-31T23:59:59.999999999Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("1969-12-31T23:59:59.5-00:30")]
    [InlineData("2021-07-01T05:30:00.000000001+05:30")]
    public void Parse_keeps_the_exact_second_far_from_1970(string text)
    {
        Assert.Equal(text, GoTime.Parse(text).ToString());
    }

    [Fact]
    public void Parse_counts_whole_seconds()
    {
        Assert.Equal(116_316_521_877L, GoTime.Parse("5655-12-04T00:57:57Z").UnixSeconds);
        Assert.Equal(253402300799L, GoTime.Parse("9999-12-31T23:59:59Z").UnixSeconds);
        Assert.Equal(-62135596800L, GoTime.Parse("0001-01-01T00:00:00Z").UnixSeconds);
    }
}
