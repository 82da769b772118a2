using Coffer.Core.Chunking;

namespace Coffer.Core.Tests.Chunking;

public sealed class PolynomialTests
{
    [Theory]
    [InlineData("31c81e17642089")]
    [InlineData("3da3358b4dc173")]
    public void FixturePolynomialsAreIrreducibleOfDegree53(string hex)
    {
        var p = Polynomial.Parse(hex);
        Assert.Equal(53, p.Degree);
        Assert.True(p.IsIrreducible());
        Assert.Equal(hex, p.ToString());
    }

    [Theory]
    [InlineData(0b111UL, true)] // x^2 + x + 1
    [InlineData(0b101UL, false)] // x^2 + 1 = (x + 1)^2
    [InlineData(0b1011UL, true)] // x^3 + x + 1
    [InlineData(0b1001UL, false)] // x^3 + 1
    [InlineData(0b10011UL, true)] // x^4 + x + 1
    [InlineData(0b10101UL, false)] // x^4 + x^2 + 1 = (x^2 + x + 1)^2
    public void SmallPolynomials(ulong value, bool irreducible) =>
        Assert.Equal(irreducible, new Polynomial(value).IsIrreducible());

    [Fact]
    public void ProductOfTwoIrreduciblesIsReducible()
    {
        // (x^2+x+1)(x^3+x+1) = x^5 + x^4 + 1
        Assert.False(new Polynomial(0b110001UL).IsIrreducible());
    }

    [Fact]
    public void RandomPolynomialsAreIrreducibleOfDegree53()
    {
        for (var i = 0; i < 5; i++)
        {
            var p = Polynomial.NewRandom();
            Assert.Equal(53, p.Degree);
            Assert.True(p.IsIrreducible());
            Assert.Equal(1UL, p.Value & 1);
        }
    }

    [Fact]
    public void ParseRejectsGarbage() => Assert.Throws<FormatException>(() => Polynomial.Parse("xyz"));
}
