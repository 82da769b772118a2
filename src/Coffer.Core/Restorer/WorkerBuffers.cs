using Coffer.Core.Packing;

namespace Coffer.Core.Restorer;

/// <summary>
/// One pack worker's scratch space: the stored bytes of a read range (compressed blobs are decrypted in place
/// there) and one blob's plaintext, grown as needed (to whole MiB, not doubled) and reused from pack to pack. Unmanaged
/// (<see cref="NativeBuffer"/>), so the multi-megabyte buffers of a restore leave nothing for the garbage
/// collector, are not cached per thread by a pool, and are given back on dispose. Not thread-safe: one worker
/// at a time.
/// </summary>
internal sealed class WorkerBuffers : IDisposable
{
    private NativeBuffer? _read;
    private NativeBuffer? _plain;

    /// <summary>Room for <paramref name="length"/> stored bytes (exactly that long).</summary>
    public Memory<byte> Read(int length) => Ensure(ref _read, length).Memory[..length];

    /// <summary>Room for a plaintext of <paramref name="length"/> bytes (exactly that long).</summary>
    public Memory<byte> Plain(int length) => Ensure(ref _plain, length).Memory[..length];

    private static NativeBuffer Ensure(ref NativeBuffer? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            const int Step = 1 << 20;
            var size = length <= 64 * 1024 ? 64 * 1024 : (int)Math.Min(Array.MaxLength, ((long)length + Step - 1) / Step * Step);
            ((IDisposable?)buffer)?.Dispose();
            buffer = new NativeBuffer(size);
        }
        return buffer;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ((IDisposable?)_read)?.Dispose();
        ((IDisposable?)_plain)?.Dispose();
        _read = _plain = null;
    }
}
