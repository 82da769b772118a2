using Coffer.Core.Chunking;

namespace Coffer.Core.Tests.Chunking;

public sealed class ChunkerTablesTests
{
    [Theory]
    [InlineData("31c81e17642089")]
    [InlineData("3da3358b4dc173")]
    public void TablesFollowTheirDefinition(string hex)
    {
        var p = Polynomial.Parse(hex);
        var tables = ChunkerTables.For(p);
        Assert.Same(tables, ChunkerTables.For(p));
        Assert.Equal(p, tables.Polynomial);
        Assert.Equal(53, tables.Degree);
        Assert.Equal(256, tables.Out.Length);
        Assert.Equal(256, tables.Mod.Length);
        var shifted = new byte[Chunker.WindowSize];
        for (var b = 0; b < 256; b++)
        {
            // b · x^504 is b followed by 63 zero bytes.
            shifted[0] = (byte)b;
            Assert.Equal(ReferenceChunker.Fingerprint(shifted, p), tables.Out[b]);
            Assert.Equal(Polynomial.Mod((ulong)b << 53, p.Value) | ((ulong)b << 53), tables.Mod[b]);
        }
    }

    [Fact]
    public void FingerprintMatchesTheReferenceOnRandomWindows()
    {
        var p = Polynomial.Parse("31c81e17642089");
        var tables = ChunkerTables.For(p);
        var random = new Random(7);
        var window = new byte[Chunker.WindowSize];
        for (var i = 0; i < 1000; i++)
        {
            random.NextBytes(window);
            Assert.Equal(ReferenceChunker.Fingerprint(window, p), tables.Fingerprint(window));
        }
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(0b1011UL)] // degree 3
    [InlineData(1UL << 54 | 1)] // degree 54
    public void DegreesOutside8To53AreRejected(ulong value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ChunkerTables.For(new Polynomial(value)));

    [Fact]
    public void TablesAreSharedAcrossThreads()
    {
        var p = Polynomial.NewRandom();
        var all = new ChunkerTables[8];
        Parallel.For(0, all.Length, i => all[i] = ChunkerTables.For(p));
        Assert.All(all, t => Assert.Same(all[0], t));
    }
}
