using System.Text;
using Coffer.Core.Crypto;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Storage;
using Coffer.Testing;
using FsCheck;
using FsCheck.Fluent;

namespace Coffer.Core.Tests.Packing;

/// <summary>
/// Generated sets of blobs go through <see cref="PackWriter"/>, are stored in a backend under the pack id,
/// and come back through <see cref="PackReader"/> and <see cref="BlobCodec"/> exactly.
/// </summary>
public sealed class PackRoundTripTests
{
    private static readonly CryptoKey Key = CryptoKey.NewRandom();

    /// <summary>One generated blob: its type, size (0 to 300 KB), whether it compresses, and a seed for its bytes.</summary>
    public sealed record BlobSpec(BlobType Type, int Size, bool Compressible, int Seed)
    {
        public byte[] Plaintext() => MakeBytes(Size, Compressible, Seed);
    }

    /// <summary>A pack to write: its blobs, the compression level (0 or 3) and whether the format allows compression.</summary>
    public sealed record PackCase(BlobSpec[] Blobs, int Level, bool AllowCompression);

    private static readonly Gen<BlobSpec> BlobGen =
        from type in Gen.Elements(BlobType.Data, BlobType.Tree)
        from size in Gen.OneOf(Gen.Choose(0, 64), Gen.Choose(0, 300 * 1024))
        from compressible in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue)
        select new BlobSpec(type, size, compressible, seed);

    private static readonly Arbitrary<PackCase> Cases =
        (from count in Gen.Choose(0, 10)
         from blobs in BlobGen.ArrayOf(count)
         from level in Gen.Elements(0, 3)
         from allow in Gen.Elements(true, false)
         select new PackCase(blobs, level, allow)).ToArbitrary();

    [Fact]
    public void HeaderListsTheSameEntriesInOrderAndEveryBlobOpensToItsPlaintext()
    {
        Prop.ForAll(Cases, c =>
        {
            var plaintexts = c.Blobs.Select(b => b.Plaintext()).ToArray();
            var (pack, bytes) = WriteAndStore(c, plaintexts);
            var backend = StoreIn(pack, bytes);
            var header = ReadHeader(backend, pack.Id, bytes.Length, c.AllowCompression);

            Assert.Equal(pack.Blobs, header);
            for (var i = 0; i < header.Count; i++)
            {
                var entry = header[i];
                Assert.Equal(new BlobHandle(new BlobId(Id.Hash(plaintexts[i])), c.Blobs[i].Type), entry.Handle);
                Assert.Equal(plaintexts[i].Length, entry.PlaintextLength);
                if (!c.AllowCompression || c.Level == 0)
                {
                    Assert.False(entry.IsCompressed);
                }
                var stored = bytes.AsSpan((int)entry.Offset, (int)entry.Length);
                Assert.Equal(plaintexts[i], BlobCodec.Open(Key, stored, entry, "data/test"));
            }
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void PackIdIsTheHashOfTheBytesAndTheSizesAddUp()
    {
        Prop.ForAll(Cases, c =>
        {
            var (pack, bytes) = WriteAndStore(c, [.. c.Blobs.Select(b => b.Plaintext())]);
            Assert.Equal(Id.Hash(bytes), pack.Id.Value);

            // blobs + sealed header + 4-byte trailer = pack size, and the trailer holds the sealed header's length.
            var headerSize = PackLayout.CryptoOverhead + pack.Blobs.Sum(b => PackLayout.EntrySize(b.IsCompressed));
            Assert.Equal(bytes.Length, pack.Blobs.Sum(b => (long)b.Length) + headerSize + PackLayout.TrailerSize);
            Assert.Equal((uint)headerSize, BitConverter.ToUInt32(bytes, bytes.Length - PackLayout.TrailerSize));

            // Offsets are consecutive from 0.
            long offset = 0;
            foreach (var blob in pack.Blobs)
            {
                Assert.Equal(offset, blob.Offset);
                offset += blob.Length;
            }
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void CompressibleBlobsAreStoredCompressedOnlyWhenAllowed()
    {
        var text = MakeBytes(100_000, compressible: true, seed: 5);
        foreach (var (allow, level, expectCompressed) in new[] { (true, 3, true), (true, 0, false), (false, 3, false) })
        {
            var (pack, _) = WriteAndStore(new PackCase([new BlobSpec(BlobType.Data, text.Length, true, 5)], level, allow), [text]);
            Assert.Equal(expectCompressed, Assert.Single(pack.Blobs).IsCompressed);
        }
    }

    private static (FinishedPackInfo Pack, byte[] Bytes) WriteAndStore(PackCase c, byte[][] plaintexts)
    {
        using var writer = new PackWriter(Key, c.AllowCompression, initialCapacity: 4096);
        for (var i = 0; i < plaintexts.Length; i++)
        {
            var handle = new BlobHandle(new BlobId(Id.Hash(plaintexts[i])), c.Blobs[i].Type);
            writer.Add(handle, plaintexts[i], c.Level);
        }
        Assert.Equal(plaintexts.Length, writer.Count);
        var expectedSize = writer.Size;
        using var pack = writer.Finish();
        Assert.Equal(expectedSize, pack.Length);
        return (new FinishedPackInfo(pack.Id, [.. pack.Blobs]), pack.Bytes.ToArray());
    }

    private static InMemoryBackend StoreIn(FinishedPackInfo pack, byte[] bytes)
    {
        var backend = new InMemoryBackend();
        Sync(backend.SaveAsync(new FileHandle(FileType.Pack, pack.Id.ToString()), bytes, CancellationToken.None));
        return backend;
    }

    private static List<PackedBlob> ReadHeader(IBackend backend, PackId id, long size, bool allowCompressed)
    {
        // Once with the size known, once asking the backend: both must agree.
        var header = Sync(PackReader.ReadHeaderAsync(backend, Key, id, size, allowCompressed, CancellationToken.None));
        Assert.Equal(header, Sync(PackReader.ReadHeaderAsync(backend, Key, id, null, allowCompressed, CancellationToken.None)));
        return header;
    }

    // The in-memory backend completes synchronously; FsCheck properties are synchronous.
    private static void Sync(Task task) => task.GetAwaiter().GetResult();

    private static T Sync<T>(Task<T> task) => task.GetAwaiter().GetResult();

    /// <summary>Text-like words (compress well) or random bytes (do not).</summary>
    internal static byte[] MakeBytes(int size, bool compressible, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[size];
        if (!compressible)
        {
            random.NextBytes(bytes);
            return bytes;
        }
        string[] words = ["backup", "restore", "pack", "index", "tree", "blob", "the", "a", "snapshot", "\n"];
        var sb = new StringBuilder(size + 16);
        while (sb.Length < size)
        {
            sb.Append(words[random.Next(words.Length)]).Append(' ');
        }
        Encoding.ASCII.GetBytes(sb.ToString(0, size), bytes);
        return bytes;
    }

    private sealed record FinishedPackInfo(PackId Id, PackedBlob[] Blobs);
}
