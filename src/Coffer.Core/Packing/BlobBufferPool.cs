using System.Collections.Concurrent;
using System.Numerics;

namespace Coffer.Core.Packing;

/// <summary>
/// The pool for chunk-sized scratch buffers (chunk copies waiting for a blob worker, compression output),
/// in unmanaged memory: a miss maps fresh pages and an overflow unmaps them, so nothing is left for the
/// garbage collector and a long backup's memory stays flat. Buffers come in power-of-two size classes
/// from 4 KiB to 16 MiB. Free buffers are kept up to a byte budget across all classes (a count per
/// class would multiply: every class would end up holding its share of the pipeline's peak).
/// Thread-safe.
/// </summary>
public sealed class BlobBufferPool
{
    private const int MinShift = 12;
    private const int MaxShift = 24;

    private readonly ConcurrentStack<NativeBuffer>[] _classes;
    private readonly long _retainBytes;
    private long _retained;

    /// <summary>A pool keeping free buffers of up to <paramref name="retainBytes"/> bytes in all.</summary>
    public BlobBufferPool(long retainBytes)
    {
        _retainBytes = retainBytes;
        _classes = new ConcurrentStack<NativeBuffer>[MaxShift - MinShift + 1];
        for (var i = 0; i < _classes.Length; i++)
        {
            _classes[i] = new ConcurrentStack<NativeBuffer>();
        }
    }

    /// <summary>The shared pool: keeps about two average chunks (1 MiB) per stage of the pipeline and core.</summary>
    public static BlobBufferPool Shared { get; } = new((4L * Environment.ProcessorCount + 4) << 20);

    /// <summary>Largest buffer the pool hands out.</summary>
    public const int MaxLength = 1 << MaxShift;

    /// <summary>A buffer of at least <paramref name="minimumLength"/> bytes (contents undefined).</summary>
    public NativeBuffer Rent(int minimumLength)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minimumLength, MaxLength);
        var cls = ClassOf(minimumLength);
        if (_classes[cls].TryPop(out var buffer))
        {
            Interlocked.Add(ref _retained, -buffer.Length);
            return buffer;
        }
        return new NativeBuffer(1 << (cls + MinShift));
    }

    /// <summary>Gives a buffer from <see cref="Rent"/> back; it must not be used afterwards.</summary>
    public void Return(NativeBuffer buffer)
    {
        var cls = ClassOf(buffer.Length);
        if (1 << (cls + MinShift) == buffer.Length)
        {
            if (Interlocked.Add(ref _retained, buffer.Length) <= _retainBytes)
            {
                _classes[cls].Push(buffer);
                return;
            }
            Interlocked.Add(ref _retained, -buffer.Length);
        }
        ((IDisposable)buffer).Dispose();
    }

    private static int ClassOf(int length) =>
        length <= 1 << MinShift ? 0 : BitOperations.Log2((uint)length - 1) + 1 - MinShift;
}
