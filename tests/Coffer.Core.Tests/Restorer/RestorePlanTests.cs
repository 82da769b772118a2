using Coffer.Core.Index;
using Coffer.Core.Model;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Core.Restorer;

namespace Coffer.Core.Tests.Restorer;

/// <summary>Needed blobs are grouped by pack, each read once, with every place it goes; reads coalesce within bounds.</summary>
public sealed class RestorePlanTests
{
    private static BlobId Blob(byte b) => new(Id.Hash([b]));

    private static PackId Pack(byte b) => new(Id.Hash([b, b]));

    private static PlannedEntry File(string name, params (BlobId Id, int Length)[] blobs)
    {
        var dir = new PlannedDirectory(0, null, [], null);
        var entry = new PlannedEntry(dir, System.Text.Encoding.UTF8.GetBytes(name), default, EntryKind.File)
        {
            Blobs = blobs.Select(b => b.Id).ToArray(),
            Lengths = blobs.Select(b => b.Length).ToArray(),
        };
        entry.Size = blobs.Sum(b => (long)b.Length);
        return entry;
    }

    [Fact]
    public void EachBlobIsReadOnceAndWrittenEverywhereItIsNeeded()
    {
        var index = new MasterIndex();
        var (x, y, z) = (Blob(1), Blob(2), Blob(3));
        index.Add(Pack(1), [new PackedBlob(new BlobHandle(y, BlobType.Data), 500, 132, 0), new PackedBlob(new BlobHandle(x, BlobType.Data), 0, 132, 0)]);
        index.Add(Pack(2), [new PackedBlob(new BlobHandle(z, BlobType.Data), 0, 232, 0)]);
        var a = File("a", (x, 100), (y, 100), (x, 100));
        var b = File("b", (z, 200), (x, 100));
        var c = File("c", (y, 100), (z, 200));
        c.Needed = [false, true];

        var packs = RestorePlan.GroupByPack(index, [a, b, c]);

        Assert.Equal(2, packs.Count);
        var p1 = packs.Single(p => p.Pack == Pack(1));
        Assert.Equal([x, y], p1.Blobs.Select(w => w.Blob.Handle.Id));
        Assert.Equal([(a, 0L), (a, 200L), (b, 200L)], p1.Blobs[0].Uses.Select(u => (u.Entry, u.Offset)));
        Assert.Equal([(a, 100L)], p1.Blobs[1].Uses.Select(u => (u.Entry, u.Offset)));
        var p2 = packs.Single(p => p.Pack == Pack(2));
        Assert.Equal([(b, 0L), (c, 100L)], Assert.Single(p2.Blobs).Uses.Select(u => (u.Entry, u.Offset)));
        Assert.Equal(3, a.Remaining);
        Assert.Equal(2, b.Remaining);
        Assert.Equal(1, c.Remaining);
        Assert.Equal(p1, packs[0]); // the larger pack first
    }

    [Fact]
    public void ReadsCoalesceNeighboursWithinTheGapAndSizeCaps()
    {
        var pack = new PackWork(Pack(9));
        foreach (var (offset, length) in new[] { (1_000_000u, 100u), (0u, 100u), (100u, 100u), (250u, 100u) })
        {
            pack.Blobs.Add(new BlobWork(new PackedBlob(new BlobHandle(Blob((byte)offset), BlobType.Data), offset, length, 0)));
        }
        pack.Sort();
        Assert.Equal([new ReadRange(0, 3, 0, 350), new ReadRange(3, 1, 1_000_000, 100)], pack.Ranges(maxRead: 4096, maxGap: 64));
        Assert.Equal([new ReadRange(0, 2, 0, 200), new ReadRange(2, 1, 250, 100), new ReadRange(3, 1, 1_000_000, 100)], pack.Ranges(maxRead: 4096, maxGap: 10));
        Assert.Equal(4, pack.Ranges(maxRead: 150, maxGap: 1_000_000).Count);
        // A blob larger than the cap is still read, alone.
        Assert.Equal(new ReadRange(0, 1, 0, 100), pack.Ranges(maxRead: 10, maxGap: 0)[0]);
    }

    [Fact]
    public void SelectorFollowsResticSemantics()
    {
        var include = RestoreSelector.Create(["/a/b"], [], [], []);
        Assert.Equal((false, true), include.Select("/a", isDirectory: true));
        Assert.Equal((true, true), include.Select("/a/b", isDirectory: true));
        Assert.Equal((true, false), include.Select("/a/b/c.txt", isDirectory: false));
        Assert.Equal((false, false), include.Select("/x", isDirectory: true));
        var both = RestoreSelector.Create(["/a"], [], ["*.tmp"], []);
        Assert.Equal((false, false), both.Select("/a/x.tmp", isDirectory: false));
        Assert.Equal((true, false), both.Select("/a/x.txt", isDirectory: false));
        Assert.Equal((true, true), RestoreSelector.All.Select("/anything", isDirectory: true));
        Assert.Equal((false, false), RestoreSelector.Create([], [], [], ["*.TXT"]).Select("/a/x.txt", isDirectory: false));
    }
}
