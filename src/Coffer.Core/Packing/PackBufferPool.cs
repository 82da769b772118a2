using System.Collections.Concurrent;

namespace Coffer.Core.Packing;

/// <summary>
/// Buffers for packs being built, in unmanaged memory (see <see cref="NativeBuffer"/>), with only a few
/// idle ones kept for reuse so a long backup neither churns allocations nor holds idle megabytes.
/// Thread-safe.
/// </summary>
public sealed class PackBufferPool(int maxRetained = 1)
{
    private readonly ConcurrentBag<NativeBuffer> _free = [];
    private int _retained;

    /// <summary>A process-wide pool.</summary>
    public static PackBufferPool Shared { get; } = new();

    /// <summary>A buffer of at least <paramref name="minimumLength"/> bytes (contents undefined).</summary>
    public NativeBuffer Rent(int minimumLength)
    {
        while (_free.TryTake(out var buffer))
        {
            Interlocked.Decrement(ref _retained);
            if (buffer.Length >= minimumLength)
            {
                return buffer;
            }
            ((IDisposable)buffer).Dispose();
        }
        return new NativeBuffer(minimumLength);
    }

    /// <summary>Gives a buffer back; freed when enough are kept already.</summary>
    public void Return(NativeBuffer buffer)
    {
        if (Interlocked.Increment(ref _retained) <= maxRetained)
        {
            _free.Add(buffer);
        }
        else
        {
            Interlocked.Decrement(ref _retained);
            ((IDisposable)buffer).Dispose();
        }
    }
}
