using System.Buffers;
using System.Runtime.InteropServices;

namespace Coffer.Core.Packing;

/// <summary>
/// A buffer in unmanaged memory, for packs under construction. Large allocations like these live outside
/// the garbage-collected heap, so freeing one gives the memory straight back to the operating system
/// instead of leaving it committed in the large-object heap. Not thread-safe; dispose exactly once.
/// </summary>
public sealed unsafe class NativeBuffer : MemoryManager<byte>
{
    private byte* _pointer;

    /// <summary>Allocates <paramref name="length"/> bytes (contents undefined).</summary>
    public NativeBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        _pointer = (byte*)NativeMemory.Alloc((nuint)length);
        Length = length;
    }

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
        if (_pointer != null)
        {
            NativeMemory.Free(_pointer);
            _pointer = null;
        }
    }
}
