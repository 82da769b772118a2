using Coffer.Core.Index;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;

namespace Coffer.Core.Tests.Index;

public sealed class MasterIndexTests
{
    [Fact]
    public void LooksUpEveryBlobAmongManyAndMissesOthers()
    {
        var rnd = new Random(42);
        var index = new MasterIndex();
        var added = new List<(PackId Pack, PackedBlob Blob)>();
        for (var p = 0; p < 200; p++)
        {
            var pack = new PackId(IndexFileTests.RandomId(rnd));
            var blobs = new List<PackedBlob>();
            for (var b = 0; b < 500; b++)
            {
                var blob = new PackedBlob(new BlobHandle(new BlobId(IndexFileTests.RandomId(rnd)), b % 7 == 0 ? BlobType.Tree : BlobType.Data), (uint)(b * 100), 100, (uint)b);
                blobs.Add(blob);
                added.Add((pack, blob));
            }
            index.Add(pack, blobs);
        }
        Assert.Equal(100_000, index.Count);
        Assert.Equal(200, index.PackCount);
        foreach (var (pack, blob) in added)
        {
            Assert.True(index.TryLookup(blob.Handle, out var found));
            Assert.Equal(pack, found.Pack);
            Assert.Equal(blob, found.Blob);
            // Same id, other type: not found.
            var otherType = new BlobHandle(blob.Handle.Id, blob.Handle.Type == BlobType.Data ? BlobType.Tree : BlobType.Data);
            Assert.False(index.Contains(otherType));
        }
        for (var i = 0; i < 1000; i++)
        {
            Assert.False(index.Contains(new BlobHandle(new BlobId(IndexFileTests.RandomId(rnd)), BlobType.Data)));
        }
    }

    [Fact]
    public void DuplicateBlobInTwoPacksHasTwoCopiesAndExactRepeatsAreIgnored()
    {
        var rnd = new Random(1);
        var blob = new PackedBlob(new BlobHandle(new BlobId(IndexFileTests.RandomId(rnd)), BlobType.Data), 0, 64, 0);
        var p1 = new PackId(IndexFileTests.RandomId(rnd));
        var p2 = new PackId(IndexFileTests.RandomId(rnd));
        var index = new MasterIndex();
        index.Add(p1, [blob]);
        index.Add(p1, [blob]);
        index.Add(p2, [blob with { Offset = 10 }]);
        var copies = index.LookupAll(blob.Handle);
        Assert.Equal(2, copies.Count);
        Assert.Contains(copies, c => c.Pack == p1 && c.Blob.Offset == 0);
        Assert.Contains(copies, c => c.Pack == p2 && c.Blob.Offset == 10);
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void EntryIsCompact() => Assert.Equal(48, MasterIndex.EntryBytes);

    [Fact]
    public async Task ConcurrentReadersAndWriter()
    {
        var rnd = new Random(7);
        var index = new MasterIndex();
        var blobs = Enumerable.Range(0, 20_000).Select(i => new PackedBlob(new BlobHandle(new BlobId(IndexFileTests.RandomId(rnd)), BlobType.Data), 0, 40, 0)).ToArray();
        var pack = new PackId(IndexFileTests.RandomId(rnd));
        var writer = Task.Run(() =>
        {
            foreach (var chunk in blobs.Chunk(100))
            {
                index.Add(pack, chunk);
            }
        });
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var seen = 0;
            while (!writer.IsCompleted)
            {
                foreach (var b in blobs.Take(500))
                {
                    if (index.Contains(b.Handle))
                    {
                        seen++;
                    }
                }
            }
            return seen;
        })).ToArray();
        await Task.WhenAll([writer, .. readers]);
        Assert.All(blobs, b => Assert.True(index.Contains(b.Handle)));
    }
}
