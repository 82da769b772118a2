using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Core.Tests.Index;

namespace Coffer.Core.Tests.Packing;

public sealed class PackHeaderTests
{
    [Fact]
    public void EncodeParseRoundTripComputesOffsetsFromOrder()
    {
        var rnd = new Random(3);
        var blobs = new List<PackedBlob>();
        uint offset = 0;
        for (var i = 0; i < 20; i++)
        {
            var len = (uint)rnd.Next(32, 5000);
            var compressed = i % 3 == 0;
            blobs.Add(new PackedBlob(new BlobHandle(new BlobId(IndexFileTests.RandomId(rnd)), i % 2 == 0 ? BlobType.Data : BlobType.Tree), offset, len, compressed ? (uint)rnd.Next(1, 9000) : 0));
            offset += len;
        }
        var header = PackHeader.Encode(blobs);
        Assert.Equal(blobs.Sum(b => b.IsCompressed ? 41 : 37), header.Length);
        var parsed = PackHeader.Parse(header, allowCompressed: true, "data/x", offset);
        Assert.Equal(blobs, parsed);
    }

    [Fact]
    public void CompressedEntriesRefusedInVersion1()
    {
        var blob = new PackedBlob(new BlobHandle(new BlobId(Id.Hash([1])), BlobType.Data), 0, 60, 10);
        var ex = Assert.Throws<RepositoryCorruptException>(() => PackHeader.Parse(PackHeader.Encode([blob]), allowCompressed: false, "data/abc"));
        Assert.Contains("data/abc", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 4 })]
    [InlineData(new byte[] { 0, 1, 2 })]
    public void MalformedHeaderIsRefused(byte[] header) =>
        Assert.Throws<RepositoryCorruptException>(() => PackHeader.Parse(header, true, "data/x"));

    [Fact]
    public void SizeDisagreementIsRefused()
    {
        var blob = new PackedBlob(new BlobHandle(new BlobId(Id.Hash([1])), BlobType.Data), 0, 60, 0);
        var ex = Assert.Throws<RepositoryCorruptException>(() => PackHeader.Parse(PackHeader.Encode([blob]), true, "data/x", 61));
        Assert.Contains("61", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImpossibleLengthIsRefused()
    {
        var blob = new PackedBlob(new BlobHandle(new BlobId(Id.Hash([1])), BlobType.Data), 0, 10, 0);
        Assert.Throws<RepositoryCorruptException>(() => PackHeader.Parse(PackHeader.Encode([blob]), true, "data/x"));
    }
}
