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
    private readonly List<PackedBlob> _blobs;
    private NativeBuffer? _buffer;
    private int _length;
    private int _headerSize;

    private readonly PackBufferPool _pool;

    /// <summary>
    /// Creates a writer; <paramref name="allowCompression"/> is false for format version 1. The buffer
    /// (at least <paramref name="initialCapacity"/> bytes) comes from <paramref name="pool"/>
    /// (default <see cref="PackBufferPool.Shared"/>) and goes back to it when the pack is disposed.
    /// <paramref name="expectedBlobs"/> sizes the entry list (e.g. the previous pack's count), so that a
    /// pack of many small blobs does not grow it step by step.
    /// </summary>
    public PackWriter(CryptoKey key, bool allowCompression, int initialCapacity = 1024 * 1024, PackBufferPool? pool = null, int expectedBlobs = 0)
    {
        _blobs = new List<PackedBlob>(Math.Clamp(expectedBlobs, 0, 1 << 20));
        _key = key;
        _allowCompression = allowCompression;
        _pool = pool ?? PackBufferPool.Shared;
        _buffer = _pool.Rent(Math.Max(initialCapacity, 4096));
    }

    /// <summary>
    /// Compresses <paramref name="plaintext"/> at <paramref name="level"/> into a rented buffer when that
    /// makes it smaller (format 2 only); otherwise returns null and the plaintext is stored as it is.
    /// Thread-safe (no writer state): callers compress in parallel and then add under their own lock.
    /// </summary>
    public static NativeBuffer? TryCompress(ReadOnlySpan<byte> plaintext, int level, bool allowCompression, out int length)
    {
        length = 0;
        if (!allowCompression || level <= 0 || plaintext.IsEmpty || plaintext.Length > BlobBufferPool.MaxLength)
        {
            return null;
        }
        // Room for one byte less than the plaintext: a frame that does not fit would not pay off, and the
        // buffer stays in the plaintext's size class instead of the next one up.
        var compressed = BlobBufferPool.Shared.Rent(plaintext.Length);
        if (Zstd.TryCompress(plaintext, compressed.GetSpan()[..(plaintext.Length - 1)], level, out length))
        {
            return compressed;
        }
        BlobBufferPool.Shared.Return(compressed);
        length = 0;
        return null;
    }

    /// <summary>
    /// Seals and appends a blob whose payload is already prepared: the compressed bytes with
    /// <paramref name="uncompressedLength"/> &gt; 0, or the plaintext itself with 0.
    /// </summary>
    public PackedBlob AddPayload(BlobHandle handle, ReadOnlySpan<byte> payload, uint uncompressedLength)
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        var stored = payload.Length + PackLayout.CryptoOverhead;
        EnsureCapacity(stored);
        _key.Seal(payload, _buffer.GetSpan().Slice(_length, stored));
        var entry = new PackedBlob(handle, (uint)_length, (uint)stored, uncompressedLength);
        _blobs.Add(entry);
        _length += stored;
        _headerSize += PackLayout.EntrySize(entry.IsCompressed);
        return entry;
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
        var compressed = TryCompress(plaintext, compressionLevel, _allowCompression, out var length);
        try
        {
            return compressed is null
                ? AddPayload(handle, plaintext, 0)
                : AddPayload(handle, compressed.GetSpan()[..length], (uint)plaintext.Length);
        }
        finally
        {
            if (compressed is not null)
            {
                BlobBufferPool.Shared.Return(compressed);
            }
        }
    }

    /// <summary>Appends an already sealed blob (as read from another pack of the same key).</summary>
    public PackedBlob AddSealed(BlobHandle handle, ReadOnlySpan<byte> stored, uint uncompressedLength)
    {
        EnsureCapacity(stored.Length);
        stored.CopyTo(_buffer!.GetSpan()[_length..]);
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
        var header = ArrayPool<byte>.Shared.Rent(Math.Max(1, _headerSize));
        try
        {
            var headerLength = PackHeader.Encode(_blobs, header);
            var sealedHeader = headerLength + PackLayout.CryptoOverhead;
            EnsureCapacity(sealedHeader + PackLayout.TrailerSize);
            _key.Seal(header.AsSpan(0, headerLength), _buffer!.GetSpan().Slice(_length, sealedHeader));
            _length += sealedHeader;
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan()[_length..], (uint)sealedHeader);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
        _length += PackLayout.TrailerSize;
        var id = new PackId(Id.Hash(_buffer!.GetSpan()[.._length]));
        var result = new FinishedPack(id, _buffer, _length, _blobs, _pool);
        _buffer = null;
        return result;
    }

    private void EnsureCapacity(int extra)
    {
        if ((long)_length + extra > int.MaxValue - 64)
        {
            throw new InvalidOperationException("pack too large");
        }
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        if (_length + extra <= _buffer.Length)
        {
            return;
        }
        var bigger = _pool.Rent(Math.Max(_length + extra, _buffer.Length + _buffer.Length / 2));
        _buffer.GetSpan()[.._length].CopyTo(bigger.GetSpan());
        _pool.Return(_buffer);
        _buffer = bigger;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buffer is not null)
        {
            _pool.Return(_buffer);
            _buffer = null;
        }
    }
}
