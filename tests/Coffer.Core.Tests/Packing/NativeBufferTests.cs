using System.Text;
using Coffer.Core.Index;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;

namespace Coffer.Core.Tests.Packing;

public sealed class NativeBufferTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(NativeBuffer.MappedThreshold - 1)]
    [InlineData(NativeBuffer.MappedThreshold)]
    [InlineData(17 << 20)]
    public void BuffersOfEverySizeAreWritableToTheLastByte(int length)
    {
        using var buffer = new NativeBuffer(length);
        var span = buffer.GetSpan();
        Assert.Equal(length, span.Length);
        span.Fill(0xA5);
        Assert.Equal(0xA5, span[^1]);
        Assert.Equal(length, buffer.Memory.Length);
    }

    [Fact]
    public void WriterGrowsAndKeepsWhatWasWritten()
    {
        using var writer = new NativeBufferWriter(256);
        var expected = new List<byte>();
        for (var i = 0; i < 5000; i++)
        {
            var piece = Encoding.ASCII.GetBytes($"piece {i};");
            piece.CopyTo(writer.GetSpan(piece.Length));
            writer.Advance(piece.Length);
            expected.AddRange(piece);
        }
        Assert.Equal(expected.Count, writer.WrittenCount);
        Assert.Equal(expected.ToArray(), writer.WrittenSpan.ToArray());
        Assert.Equal(expected.ToArray(), writer.WrittenMemory.ToArray());
        Assert.Throws<InvalidOperationException>(() => writer.Advance(int.MaxValue));
    }

    [Fact]
    public void IndexEncodedIntoUnmanagedMemoryEqualsTheManagedEncoding()
    {
        var index = new IndexFile();
        for (var p = 0; p < 3; p++)
        {
            var blobs = new List<PackedBlob>();
            for (var b = 0; b < 1000; b++)
            {
                var id = new BlobId(Id.Hash(BitConverter.GetBytes(p * 10_000 + b)));
                blobs.Add(new PackedBlob(new BlobHandle(id, b % 7 == 0 ? BlobType.Tree : BlobType.Data), (uint)(b * 4096), 4000, b % 2 == 0 ? 0u : 9000u));
            }
            index.Packs.Add(new IndexPack(new PackId(Id.Hash(BitConverter.GetBytes(p))), blobs));
        }
        using var writer = new NativeBufferWriter(16);
        index.EncodeTo(writer);
        Assert.Equal(index.Encode(), writer.WrittenSpan.ToArray());
        Assert.True(writer.WrittenCount <= index.EncodedSizeEstimate, "the estimate is an upper bound");
    }

    [Fact]
    public void PoolHandsOutBuffersLargeEnoughAndReusesReturnedOnes()
    {
        var pool = new BlobBufferPool(8 << 20);
        foreach (var length in new[] { 1, 4096, 4097, 700_000, 1 << 20, (1 << 20) + 1, BlobBufferPool.MaxLength })
        {
            var buffer = pool.Rent(length);
            Assert.True(buffer.Length >= length);
            Assert.True(buffer.Length < 2 * Math.Max(length, 4096), "one size class up at most");
            pool.Return(buffer);
        }
        var first = pool.Rent(3000);
        pool.Return(first);
        Assert.Same(first, pool.Rent(2000));
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(BlobBufferPool.MaxLength + 1));
    }

    [Fact]
    public void PoolKeepsNoMoreThanItsBudget()
    {
        var pool = new BlobBufferPool(2 << 20);
        var rented = Enumerable.Range(0, 4).Select(_ => pool.Rent(1 << 20)).ToList();
        foreach (var b in rented)
        {
            pool.Return(b);
        }
        var again = Enumerable.Range(0, 4).Select(_ => pool.Rent(1 << 20)).ToList();
        Assert.Equal(2, again.Count(rented.Contains));
        foreach (var b in again)
        {
            pool.Return(b);
        }
    }
}
