using Coffer.Core.Checker;
using Coffer.Core.Primitives;

namespace Coffer.Core.Tests.Checker;

/// <summary>Parsing and selection of <c>--read-data-subset</c>.</summary>
public sealed class ReadDataSubsetTests
{
    [Theory]
    [InlineData("1/3", ReadDataSubsetKind.Group, "1/3")]
    [InlineData("256/256", ReadDataSubsetKind.Group, "256/256")]
    [InlineData("10%", ReadDataSubsetKind.Percentage, "10%")]
    [InlineData("2.5%", ReadDataSubsetKind.Percentage, "2.5%")]
    [InlineData("500M", ReadDataSubsetKind.Size, "524288000")]
    [InlineData("1k", ReadDataSubsetKind.Size, "1024")]
    [InlineData("77", ReadDataSubsetKind.Size, "77")]
    [InlineData("2G", ReadDataSubsetKind.Size, "2147483648")]
    public void ParsesTheThreeForms(string text, ReadDataSubsetKind kind, string shown)
    {
        var subset = ReadDataSubset.Parse(text);
        Assert.Equal(kind, subset.Kind);
        Assert.Equal(shown, subset.ToString());
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("1/257")]
    [InlineData("1/")]
    [InlineData("0%")]
    [InlineData("101%")]
    [InlineData("x%")]
    [InlineData("12Q")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData("-5M")]
    public void RefusesNonsense(string text) => Assert.Throws<CofferException>(() => ReadDataSubset.Parse(text));

    [Fact]
    public void GroupsGoByTheFirstByteOfThePackId()
    {
        var packs = Enumerable.Range(0, 256).Select(i =>
        {
            var bytes = new byte[32];
            bytes[0] = (byte)i;
            bytes[31] = 7;
            return (new PackId(Id.FromBytes(bytes)), 100L);
        }).ToList();
        var group = ReadDataSubset.OfGroup(2, 5).Select(packs, new Random(1));
        Assert.Equal(Enumerable.Range(0, 256).Where(i => i % 5 == 1).ToList(), group.Select(p => (int)(p.Id.Value.Prefix >> 56)).ToList());
        Assert.Equal(25, ReadDataSubset.OfPercentage(10).Select(packs, new Random(1)).Count);
        Assert.Equal(51, ReadDataSubset.OfSize(5120).Select(packs, new Random(1)).Count);
        Assert.Single(ReadDataSubset.OfPercentage(0.01).Select(packs, new Random(1)));
        Assert.Empty(ReadDataSubset.OfPercentage(50).Select([], new Random(1)));
    }
}
