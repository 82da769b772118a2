using Coffer.Core.Crypto;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;

namespace Coffer.Benchmarks;

/// <summary>A blob's plaintext and its stored form (as <see cref="PackWriter"/> at level 3 makes it), for <see cref="PackBenchmarks"/>.</summary>
internal sealed record StoredBlob(byte[] Plaintext, byte[] Stored, PackedBlob Entry)
{
    /// <summary>Packs <paramref name="plaintext"/> alone and cuts its stored bytes out of the pack.</summary>
    public static StoredBlob Store(CryptoKey key, byte[] plaintext)
    {
        using var writer = new PackWriter(key, allowCompression: true);
        var entry = writer.Add(new BlobHandle(new BlobId(Id.Hash(plaintext)), BlobType.Data), plaintext, 3);
        using var pack = writer.Finish();
        return new StoredBlob(plaintext, pack.Bytes.Slice((int)entry.Offset, (int)entry.Length).ToArray(), entry);
    }
}
