using Coffer.Core.Primitives;

namespace Coffer.Core.Packing;

/// <summary>
/// Where one blob sits inside a pack: offset and stored (sealed) length, and for a compressed blob its
/// plaintext length (0 means stored uncompressed, as in restic's index).
/// </summary>
public readonly record struct PackedBlob(BlobHandle Handle, uint Offset, uint Length, uint UncompressedLength)
{
    /// <summary>True when the sealed payload is a zstd frame.</summary>
    public bool IsCompressed => UncompressedLength != 0;

    /// <summary>Size of the blob's plaintext (the bytes its id is the hash of).</summary>
    public long PlaintextLength => IsCompressed ? UncompressedLength : (long)Length - PackLayout.CryptoOverhead;
}
