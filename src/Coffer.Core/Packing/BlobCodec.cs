using System.Buffers;
using Coffer.Core.Compression;
using Coffer.Core.Crypto;
using Coffer.Core.Primitives;

namespace Coffer.Core.Packing;

/// <summary>
/// Turns a blob's plaintext into its stored form (optionally zstd, then sealed) and back, verifying
/// the MAC before decrypting and the SHA-256 after decompressing. Stateless and thread-safe.
/// </summary>
public static class BlobCodec
{
    /// <summary>Largest plaintext a blob may claim (restic's chunks are at most 8 MiB; trees can be larger).</summary>
    public const int MaxBlobPlaintext = 256 * 1024 * 1024;

    /// <summary>
    /// Opens a stored blob and returns its plaintext in a new array. Throws
    /// <see cref="RepositoryCorruptException"/> naming <paramref name="file"/> and the blob on a MAC failure,
    /// a bad zstd frame, a wrong plaintext length or a hash mismatch.
    /// </summary>
    public static byte[] Open(CryptoKey key, ReadOnlySpan<byte> stored, PackedBlob blob, string file)
    {
        var plaintext = new byte[CheckedPlaintextLength(blob, file)];
        Open(key, stored, blob, file, plaintext);
        return plaintext;
    }

    /// <summary>
    /// The plaintext length the index gives for a blob, checked against <see cref="MaxBlobPlaintext"/> (and not
    /// negative), so a caller can size a buffer from it. Throws <see cref="RepositoryCorruptException"/> otherwise.
    /// </summary>
    public static int CheckedPlaintextLength(PackedBlob blob, string file)
    {
        var length = blob.PlaintextLength;
        if (length < 0 || length > MaxBlobPlaintext)
        {
            throw new RepositoryCorruptException(file, $"absurd blob length {length} in the index", blob.Handle.Id.ToString());
        }
        return (int)length;
    }

    /// <summary>
    /// Opens a stored blob into <paramref name="destination"/>, which must hold at least
    /// <see cref="CheckedPlaintextLength"/> bytes; returns the plaintext length. Verifies as
    /// <see cref="Open(CryptoKey, ReadOnlySpan{byte}, PackedBlob, string)"/> does; on failure the destination's
    /// content is unspecified.
    /// </summary>
    public static int Open(CryptoKey key, ReadOnlySpan<byte> stored, PackedBlob blob, string file, Span<byte> destination) =>
        Open(key, stored, blob, file, destination, []);

    /// <summary>
    /// As <see cref="Open(CryptoKey, ReadOnlySpan{byte}, PackedBlob, string, Span{byte})"/>, but a compressed blob
    /// is decrypted into <paramref name="scratch"/> when it holds the stored length (else into a pooled array).
    /// For callers that keep their own buffers: large pooled arrays stay cached per thread long after use.
    /// </summary>
    public static int Open(CryptoKey key, ReadOnlySpan<byte> stored, PackedBlob blob, string file, Span<byte> destination, Span<byte> scratch)
    {
        var id = blob.Handle.Id.ToString();
        if (stored.Length != blob.Length || stored.Length < PackLayout.CryptoOverhead)
        {
            throw new RepositoryCorruptException(file, $"stored length {stored.Length} differs from the index ({blob.Length})", id);
        }
        var length = CheckedPlaintextLength(blob, file);
        var plaintext = destination[..length];
        var payloadLength = stored.Length - PackLayout.CryptoOverhead;
        if (!blob.IsCompressed)
        {
            if (!key.TryOpen(stored, plaintext))
            {
                throw new RepositoryCorruptException(file, "ciphertext verification failed", id);
            }
        }
        else
        {
            var pooled = scratch.Length >= payloadLength ? null : ArrayPool<byte>.Shared.Rent(payloadLength);
            var payload = pooled is null ? scratch[..payloadLength] : pooled.AsSpan(0, payloadLength);
            try
            {
                if (!key.TryOpen(stored, payload))
                {
                    throw new RepositoryCorruptException(file, "ciphertext verification failed", id);
                }
                try
                {
                    Zstd.DecompressKnownSize(payload, plaintext);
                }
                catch (InvalidDataException e)
                {
                    throw new RepositoryCorruptException(file, $"decompression failed: {e.Message}", id, e);
                }
            }
            finally
            {
                if (pooled is not null)
                {
                    ArrayPool<byte>.Shared.Return(pooled);
                }
            }
        }
        if (Id.Hash(plaintext) != blob.Handle.Id.Value)
        {
            throw new RepositoryCorruptException(file, "content does not match its id", id);
        }
        return length;
    }
}
