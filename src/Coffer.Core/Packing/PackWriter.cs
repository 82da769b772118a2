using System.Buffers;
using System.Buffers.Binary;
using Coffer.Core.Compression;
using Coffer.Core.Crypto;
using Coffer.Core.Primitives;

namespace Coffer.Core.Packing;

/// <summary>
/// Builds one pack file in memory: blobs are compressed (when asked and when it helps), sealed and
/// appended; <see cref="Finish"/> appends the sealed header and its length. Not thread-safe: one
/// writer per pack. The buffer is rented; dispose the writer (or the <see cref="FinishedPack"/>).
/// </summary>
public sealed class PackWriter : IDisposable
{
    private readonly CryptoKey _key;
    private readonly bool _allowCompression;
    private readonly List<PackedBlob> _blobs = [];
    private byte[] _buffer;
    private int _length;
    private int _headerSize;

    /// <summary>Creates a writer; <paramref name="allowCompression"/> is false for format version 1.</summary>
    public PackWriter(CryptoKey key, bool allowCompression, int initialCapacity = 1024 * 1024)
    {
        _key = key;
        _allowCompression = allowCompression;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 4096));
    }

    /// <summary>Number of blobs added.</summary>
    public int Count => _blobs.Count;

    /// <summary>Size the finished pack would have now (blobs, sealed header, trailer).</summary>
    public long Size => _length + _headerSize + PackLayout.CryptoOverhead + PackLayout.TrailerSize;

    /// <summary>Size of the header if the pack were finished now.</summary>
    public int HeaderSize => _headerSize + PackLayout.CryptoOverhead;

    /// <summary>The blobs added so far, in pack order.</summary>
    public IReadOnlyList<PackedBlob> Blobs => _blobs;

    /// <summary>
    /// Adds a blob. With <paramref name="compressionLevel"/> &gt; 0 (and a v2 repository) the plaintext is
    /// zstd-compressed and kept compressed only when that is smaller. Returns the blob's entry.
    /// </summary>
    public PackedBlob Add(BlobHandle handle, ReadOnlySpan<byte> plaintext, int compressionLevel)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        uint uncompressed = 0;
        byte[]? compressed = null;
        var payload = plaintext;
        try
        {
            if (_allowCompression && compressionLevel > 0 && !plaintext.IsEmpty)
            {
                compressed = ArrayPool<byte>.Shared.Rent(Zstd.CompressBound(plaintext.Length));
                var n = Zstd.Compress(plaintext, compressed, compressionLevel);
                if (n < plaintext.Length)
                {
                    payload = compressed.AsSpan(0, n);
                    uncompressed = (uint)plaintext.Length;
                }
            }
            var stored = payload.Length + PackLayout.CryptoOverhead;
            EnsureCapacity(stored);
            _key.Seal(payload, _buffer.AsSpan(_length, stored));
            var entry = new PackedBlob(handle, (uint)_length, (uint)stored, uncompressed);
            _blobs.Add(entry);
            _length += stored;
            _headerSize += PackLayout.EntrySize(entry.IsCompressed);
            return entry;
        }
        finally
        {
            if (compressed is not null)
            {
                ArrayPool<byte>.Shared.Return(compressed);
            }
        }
    }

    /// <summary>Appends an already sealed blob (as read from another pack of the same key).</summary>
    public PackedBlob AddSealed(BlobHandle handle, ReadOnlySpan<byte> stored, uint uncompressedLength)
    {
        EnsureCapacity(stored.Length);
        stored.CopyTo(_buffer.AsSpan(_length));
        var entry = new PackedBlob(handle, (uint)_length, (uint)stored.Length, uncompressedLength);
        _blobs.Add(entry);
        _length += stored.Length;
        _headerSize += PackLayout.EntrySize(entry.IsCompressed);
        return entry;
    }

    /// <summary>
    /// Seals the header and returns the complete pack. The writer's buffer moves into the result;
    /// the writer cannot be used afterwards.
    /// </summary>
    public FinishedPack Finish()
    {
        var header = PackHeader.Encode(_blobs);
        var sealedHeader = header.Length + PackLayout.CryptoOverhead;
        EnsureCapacity(sealedHeader + PackLayout.TrailerSize);
        _key.Seal(header, _buffer.AsSpan(_length, sealedHeader));
        _length += sealedHeader;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_length), (uint)sealedHeader);
        _length += PackLayout.TrailerSize;
        var id = new PackId(Id.Hash(_buffer.AsSpan(0, _length)));
        var result = new FinishedPack(id, _buffer, _length, _blobs.ToArray());
        _buffer = [];
        return result;
    }

    private void EnsureCapacity(int extra)
    {
        if ((long)_length + extra > int.MaxValue - 64)
        {
            throw new InvalidOperationException("pack too large");
        }
        if (_length + extra <= _buffer.Length)
        {
            return;
        }
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_length + extra, _buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buffer.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
