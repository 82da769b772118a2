using System.Buffers.Binary;
using Coffer.Core.Index;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;

namespace Coffer.Core.Tests.Index;

public sealed class MasterIndexImageTests
{
    private static (MasterIndex Index, List<(PackId Pack, PackedBlob Blob)> Added) Build(int packs, int blobsPerPack, int seed)
    {
        var rnd = new Random(seed);
        var index = new MasterIndex();
        var added = new List<(PackId, PackedBlob)>();
        PackedBlob? shared = null;
        for (var p = 0; p < packs; p++)
        {
            var pack = new PackId(IndexFileTests.RandomId(rnd));
            var blobs = new List<PackedBlob>();
            for (var b = 0; b < blobsPerPack; b++)
            {
                var blob = new PackedBlob(new BlobHandle(new BlobId(IndexFileTests.RandomId(rnd)), b % 5 == 0 ? BlobType.Tree : BlobType.Data), (uint)(b * 300), 300, (uint)(b * 2));
                blobs.Add(blob);
                added.Add((pack, blob));
            }
            // One blob stored in every pack: several copies must survive the round trip.
            shared ??= blobs[0];
            blobs.Add(shared.Value with { Offset = 999_999 });
            added.Add((pack, shared.Value with { Offset = 999_999 }));
            index.Add(pack, blobs);
        }
        return (index, added);
    }

    private static byte[] Image(MasterIndex index)
    {
        var image = new byte[index.ImageLength];
        Assert.Equal(image.Length, index.WriteImage(image));
        return image;
    }

    [Fact]
    public void ImageReadsBackToTheSameEntriesLookupsAndCopies()
    {
        var (index, added) = Build(packs: 40, blobsPerPack: 2000, seed: 7);
        var read = MasterIndex.TryReadImage(Image(index));
        Assert.NotNull(read);
        Assert.Equal(index.Count, read.Count);
        Assert.Equal(index.PackCount, read.PackCount);
        Assert.Equal(index.All(), read.All());
        Assert.Equal(index.Packs(), read.Packs());
        foreach (var (_, blob) in added)
        {
            Assert.True(read.TryLookup(blob.Handle, out var found));
            Assert.True(index.TryLookup(blob.Handle, out var expected));
            Assert.Equal(expected, found);
            Assert.Equal(index.LookupAll(blob.Handle), read.LookupAll(blob.Handle));
        }
        Assert.Equal(40, read.LookupAll(added[0].Blob.Handle).Count);
        Assert.False(read.Contains(new BlobHandle(new BlobId(IndexFileTests.RandomId(new Random(99))), BlobType.Data)));
    }

    [Fact]
    public void IndexReadFromAnImageTakesMoreBlobsAndPacks()
    {
        var (index, _) = Build(packs: 3, blobsPerPack: 700, seed: 3);
        var read = MasterIndex.TryReadImage(Image(index))!;
        var (more, moreAdded) = Build(packs: 30, blobsPerPack: 3000, seed: 4);
        foreach (var group in moreAdded.GroupBy(a => a.Pack))
        {
            read.Add(group.Key, group.Select(g => g.Blob));
        }
        Assert.Equal(index.Count + more.Count, read.Count);
        foreach (var (pack, blob) in moreAdded.Where(a => a.Blob.Offset != 999_999))
        {
            Assert.True(read.TryLookup(blob.Handle, out var found));
            Assert.Equal(pack, found.Pack);
            Assert.Equal(blob, found.Blob);
        }
        foreach (var entry in index.All())
        {
            Assert.Contains(entry, read.LookupAll(entry.Blob.Handle));
        }
    }

    [Fact]
    public void DamageInALaterSegmentIsFoundToo()
    {
        // Segments are read and checked in parallel: a bad entry in the last one, or a pack listed twice, still
        // refuses the whole image.
        var (index, _) = Build(packs: 35, blobsPerPack: 2000, seed: 5);
        Assert.True(index.Count > 65_536);
        var image = Image(index);
        var lastEntry = 20 + (index.PackCount * Id.Size) + ((index.Count - 1) * MasterIndex.EntryBytes);
        var badPack = (byte[])image.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(badPack.AsSpan(lastEntry + Id.Size), (uint)index.PackCount);
        Assert.Null(MasterIndex.TryReadImage(badPack));
        var twice = (byte[])image.Clone();
        image.AsSpan(20, Id.Size).CopyTo(twice.AsSpan(20 + Id.Size));
        Assert.Null(MasterIndex.TryReadImage(twice));
        Assert.NotNull(MasterIndex.TryReadImage(image));
    }

    [Fact]
    public void EmptyIndexRoundTrips()
    {
        var read = MasterIndex.TryReadImage(Image(new MasterIndex()));
        Assert.NotNull(read);
        Assert.Equal(0, read.Count);
        Assert.Empty(read.Packs());
    }

    [Fact]
    public void DamagedImagesAreRefused()
    {
        var (index, _) = Build(packs: 2, blobsPerPack: 100, seed: 11);
        var image = Image(index);
        Assert.Null(MasterIndex.TryReadImage(image.AsSpan(0, image.Length - 1)));
        Assert.Null(MasterIndex.TryReadImage([.. image, 0]));
        Assert.Null(MasterIndex.TryReadImage(image.AsSpan(0, 10)));

        var badMagic = (byte[])image.Clone();
        badMagic[0] ^= 1;
        Assert.Null(MasterIndex.TryReadImage(badMagic));

        // The first entry's pack number points past the packs.
        var badPack = (byte[])image.Clone();
        var firstEntry = 20 + (index.PackCount * Id.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(badPack.AsSpan(firstEntry + Id.Size), 5);
        Assert.Null(MasterIndex.TryReadImage(badPack));

        // A slot names an entry that does not exist.
        var badSlot = (byte[])image.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(badSlot.AsSpan(badSlot.Length - 4), index.Count + 1);
        Assert.Null(MasterIndex.TryReadImage(badSlot));

        // A count that does not fit the slot table.
        var badCount = (byte[])image.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(badCount.AsSpan(12), int.MaxValue);
        Assert.Null(MasterIndex.TryReadImage(badCount));
    }
}
