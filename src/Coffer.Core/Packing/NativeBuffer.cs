using System.Buffers;
using System.Runtime.InteropServices;
using Coffer.Core.Interop;

namespace Coffer.Core.Packing;

/// <summary>
/// A buffer in unmanaged memory, for packs under construction and other multi-megabyte scratch space.
/// Large allocations like these live outside the garbage-collected heap, so freeing one gives the
/// memory straight back to the operating system instead of leaving it committed in the large-object
/// heap. Buffers of <see cref="MappedThreshold"/> bytes or more are anonymous mappings of their own:
/// the C allocator would raise its mapping threshold after the first such free and serve the next ones
/// from its heap, whose freed pages it keeps. Untouched pages of a mapping cost no memory. Not
/// thread-safe; dispose exactly once.
/// </summary>
public sealed unsafe class NativeBuffer : MemoryManager<byte>
{
    /// <summary>Size from which a buffer is a mapping of its own rather than a C heap block.</summary>
    public const int MappedThreshold = 256 * 1024;

    private byte* _pointer;
    private readonly bool _mapped;

    /// <summary>Allocates <paramref name="length"/> bytes (contents undefined).</summary>
    public NativeBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        if (length >= MappedThreshold)
        {
            var p = Libc.MMap(null, (nuint)length, Libc.ProtReadWrite, Libc.MapPrivateAnonymous, -1, 0);
            if (p == (void*)-1)
            {
                throw new OutOfMemoryException($"cannot map {length} bytes: errno {Marshal.GetLastPInvokeError()}");
            }
            _pointer = (byte*)p;
            _mapped = true;
        }
        else
        {
            _pointer = (byte*)NativeMemory.Alloc((nuint)length);
        }
        Length = length;
        Interlocked.Add(ref _live, length);
    }

    private static long _live;

    /// <summary>Bytes allocated (not necessarily touched) by live buffers.</summary>
    public static long LiveBytes => Interlocked.Read(ref _live);

    /// <summary>Capacity in bytes.</summary>
    public int Length { get; }

    /// <inheritdoc />
    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_pointer == null, this);
        return new Span<byte>(_pointer, Length);
    }

    /// <inheritdoc />
    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    /// <inheritdoc />
    public override void Unpin()
    {
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (_pointer == null)
        {
            return;
        }
        if (_mapped)
        {
            _ = Libc.MUnmap(_pointer, (nuint)Length);
        }
        else
        {
            NativeMemory.Free(_pointer);
        }
        _pointer = null;
        Interlocked.Add(ref _live, -Length);
    }
}
