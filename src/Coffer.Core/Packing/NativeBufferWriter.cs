using System.Buffers;

namespace Coffer.Core.Packing;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> in unmanaged memory (<see cref="NativeBuffer"/>), for
/// multi-megabyte output such as index JSON that would otherwise leave large-object-heap garbage behind.
/// Dispose to free; <see cref="WrittenMemory"/> is valid until then. Not thread-safe.
/// </summary>
public sealed class NativeBufferWriter : IBufferWriter<byte>, IDisposable
{
    private NativeBuffer _buffer;
    private int _written;

    /// <summary>Starts with room for <paramref name="initialCapacity"/> bytes.</summary>
    public NativeBufferWriter(int initialCapacity = 64 * 1024) => _buffer = new NativeBuffer(Math.Max(256, initialCapacity));

    /// <summary>Bytes written so far.</summary>
    public int WrittenCount => _written;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.Memory[.._written];

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.GetSpan()[.._written];

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - _written)
        {
            throw new InvalidOperationException("advanced past the end of the buffer");
        }
        _written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.Memory[_written..];
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.GetSpan()[_written..];
    }

    private void Reserve(int sizeHint)
    {
        var needed = (long)_written + Math.Max(1, sizeHint);
        if (needed <= _buffer.Length)
        {
            return;
        }
        var capacity = Math.Max(needed, (long)_buffer.Length * 2);
        if (capacity > Array.MaxLength)
        {
            capacity = Math.Max(needed, Array.MaxLength);
            if (capacity > Array.MaxLength)
            {
                throw new OutOfMemoryException("buffer would exceed 2 GiB");
            }
        }
        var bigger = new NativeBuffer((int)capacity);
        _buffer.GetSpan()[.._written].CopyTo(bigger.GetSpan());
        ((IDisposable)_buffer).Dispose();
        _buffer = bigger;
    }

    /// <inheritdoc />
    public void Dispose() => ((IDisposable)_buffer).Dispose();
}
