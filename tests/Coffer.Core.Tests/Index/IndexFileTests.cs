using System.Text;
using Coffer.Core.Index;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Testing;
using FsCheck;
using FsCheck.Fluent;

namespace Coffer.Core.Tests.Index;

public sealed class IndexFileTests
{
    public static TheoryData<string> FixtureIndexes()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { "expected", "expected-nocompress" })
        {
            var folder = Fixtures.Path2(dir, "index");
            if (Directory.Exists(folder))
            {
                foreach (var f in Directory.GetFiles(folder, "*.json"))
                {
                    data.Add(Path.GetRelativePath(Fixtures.ResticV2, f));
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureIndexes))]
    public void FixtureIndexReencodesByteIdentically(string relative)
    {
        var bytes = File.ReadAllBytes(Fixtures.Path2(relative));
        var index = IndexFile.Parse(bytes);
        Assert.NotEmpty(index.Packs);
        Assert.Equal(bytes, index.Encode());
    }

    [Fact]
    public void LegacyArrayFormIsRead()
    {
        var json = "[{\"id\":\"" + new string('a', 64) + "\",\"blobs\":[{\"id\":\"" + new string('b', 64) + "\",\"type\":\"tree\",\"offset\":0,\"length\":50}]}]";
        var index = IndexFile.Parse(Encoding.UTF8.GetBytes(json));
        var blob = Assert.Single(Assert.Single(index.Packs).Blobs);
        Assert.Equal(BlobType.Tree, blob.Handle.Type);
        Assert.Equal(50u, blob.Length);
        Assert.False(blob.IsCompressed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"packs\":[{\"blobs\":[]}]}")]
    [InlineData("{\"packs\":[{\"id\":\"zz\",\"blobs\":[]}]}")]
    [InlineData("{\"packs\":[{\"id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"blobs\":[{\"type\":\"data\",\"offset\":0,\"length\":40}]}]}")]
    [InlineData("{\"packs\":[{\"id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"blobs\":[{\"id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"type\":\"data\",\"offset\":-1,\"length\":40}]}]}")]
    [InlineData("{\"packs\":[{\"id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"blobs\":[{\"id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"type\":\"weird\",\"offset\":0,\"length\":40}]}]}")]
    public void MalformedIndexIsRefused(string json) =>
        Assert.Throws<InvalidDataException>(() => IndexFile.Parse(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void RoundTripProperty()
    {
        var gen = from packs in Gen.Choose(0, 5)
                  from blobs in Gen.Choose(0, 6)
                  from seed in Gen.Choose(0, int.MaxValue)
                  select (packs, blobs, seed);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var rnd = new Random(t.seed);
            var file = new IndexFile();
            if (rnd.Next(2) == 0)
            {
                file.Supersedes.Add(RandomId(rnd));
            }
            for (var p = 0; p < t.packs; p++)
            {
                var list = new List<PackedBlob>();
                uint offset = 0;
                for (var b = 0; b < t.blobs; b++)
                {
                    var len = (uint)rnd.Next(32, 100000);
                    var unc = rnd.Next(2) == 0 ? 0u : (uint)rnd.Next(1, 1 << 24);
                    list.Add(new PackedBlob(new BlobHandle(new BlobId(RandomId(rnd)), rnd.Next(2) == 0 ? BlobType.Data : BlobType.Tree), offset, len, unc));
                    offset += len;
                }
                file.Packs.Add(new IndexPack(new PackId(RandomId(rnd)), list));
            }
            var encoded = file.Encode();
            var again = IndexFile.Parse(encoded);
            return encoded.AsSpan().SequenceEqual(again.Encode()) && again.BlobCount == file.BlobCount;
        }).QuickCheckThrowOnFailure();
    }

    internal static Id RandomId(Random rnd)
    {
        var b = new byte[32];
        rnd.NextBytes(b);
        return Id.FromBytes(b);
    }
}
