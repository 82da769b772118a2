using System.Buffers.Binary;
using Coffer.Core.Crypto;
using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Core.Packing;

/// <summary>Reads a pack's header straight from storage, without the index (check, repair index, prune).</summary>
public static class PackReader
{
    // One read usually covers the trailer and a header of up to 15 compressed entries.
    private const int SpeculativeRead = 15 * PackLayout.CompressedEntrySize + PackLayout.CryptoOverhead + PackLayout.TrailerSize;

    /// <summary>
    /// Reads, verifies and parses the header of pack <paramref name="id"/> whose size is
    /// <paramref name="size"/> (or asked of the backend when null). Throws
    /// <see cref="RepositoryCorruptException"/> naming the pack when anything is inconsistent.
    /// </summary>
    public static async Task<List<PackedBlob>> ReadHeaderAsync(IBackend backend, CryptoKey key, PackId id, long? size, bool allowCompressed, CancellationToken cancellationToken)
    {
        var handle = new FileHandle(FileType.Pack, id.ToString());
        var name = handle.ToString();
        var fileSize = size ?? await backend.GetSizeAsync(handle, cancellationToken).ConfigureAwait(false);
        if (fileSize < PackLayout.TrailerSize + PackLayout.CryptoOverhead)
        {
            throw new RepositoryCorruptException(name, $"file too short to be a pack ({fileSize} bytes)");
        }
        var first = (int)Math.Min(fileSize, SpeculativeRead);
        var tail = new byte[first];
        await backend.ReadAtAsync(handle, fileSize - first, tail, cancellationToken).ConfigureAwait(false);
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(first - PackLayout.TrailerSize));
        if (headerLength < PackLayout.CryptoOverhead || headerLength > PackLayout.MaxHeaderSize || headerLength > fileSize - PackLayout.TrailerSize)
        {
            throw new RepositoryCorruptException(name, $"invalid header length {headerLength}");
        }
        byte[] sealedHeader;
        if (headerLength + PackLayout.TrailerSize <= first)
        {
            sealedHeader = tail.AsSpan(first - PackLayout.TrailerSize - (int)headerLength, (int)headerLength).ToArray();
        }
        else
        {
            sealedHeader = new byte[headerLength];
            await backend.ReadAtAsync(handle, fileSize - PackLayout.TrailerSize - headerLength, sealedHeader, cancellationToken).ConfigureAwait(false);
        }
        var plain = new byte[headerLength - PackLayout.CryptoOverhead];
        if (!key.TryOpen(sealedHeader, plain))
        {
            throw new RepositoryCorruptException(name, "pack header: ciphertext verification failed");
        }
        return PackHeader.Parse(plain, allowCompressed, name, fileSize - PackLayout.TrailerSize - headerLength);
    }
}
