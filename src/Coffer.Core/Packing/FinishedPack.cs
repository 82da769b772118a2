using Coffer.Core.Primitives;

namespace Coffer.Core.Packing;

/// <summary>A complete pack ready to upload: its id, bytes (a rented buffer) and blob entries. Dispose after upload.</summary>
public sealed class FinishedPack : IDisposable
{
    private NativeBuffer? _buffer;
    private readonly int _length;

    private readonly PackBufferPool _pool;

    internal FinishedPack(PackId id, NativeBuffer buffer, int length, List<PackedBlob> blobs, PackBufferPool pool)
    {
        _pool = pool;
        Id = id;
        _buffer = buffer;
        _length = length;
        Blobs = blobs;
    }

    /// <summary>SHA-256 of the pack's bytes: its file name.</summary>
    public PackId Id { get; }

    /// <summary>The blobs in pack order (the writer's list, handed over; do not modify).</summary>
    public List<PackedBlob> Blobs { get; }

    /// <summary>The pack's bytes; valid until disposed.</summary>
    public ReadOnlyMemory<byte> Bytes => _buffer is null ? throw new ObjectDisposedException(nameof(FinishedPack)) : _buffer.Memory[.._length];

    /// <summary>Size of the pack in bytes.</summary>
    public int Length => _length;

    /// <inheritdoc />
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            _pool.Return(buffer);
        }
    }
}
