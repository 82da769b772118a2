using Coffer.Core.Packing;

namespace Coffer.Core.Restorer;

/// <summary>
/// One pack worker's scratch space: the stored bytes of a read range, one blob's decrypted (still compressed)
/// payload and its plaintext, grown as needed and reused from pack to pack. Unmanaged
/// (<see cref="NativeBuffer"/>), so the multi-megabyte buffers of a restore leave nothing for the garbage
/// collector, are not cached per thread by a pool, and are given back on dispose. Not thread-safe: one worker
/// at a time.
/// </summary>
internal sealed class WorkerBuffers : IDisposable
{
    private NativeBuffer? _read;
    private NativeBuffer? _plain;
    private NativeBuffer? _payload;

    /// <summary>Room for <paramref name="length"/> stored bytes (exactly that long).</summary>
    public Memory<byte> Read(int length) => Ensure(ref _read, length).Memory[..length];

    /// <summary>Room for a plaintext of <paramref name="length"/> bytes (exactly that long).</summary>
    public Memory<byte> Plain(int length) => Ensure(ref _plain, length).Memory[..length];

    /// <summary>Room for a decrypted payload of <paramref name="length"/> bytes (exactly that long).</summary>
    public Memory<byte> Payload(int length) => Ensure(ref _payload, length).Memory[..length];

    private static NativeBuffer Ensure(ref NativeBuffer? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            var size = Math.Max(length, Math.Min((buffer?.Length ?? 0) * 2, 16 * 1024 * 1024));
            ((IDisposable?)buffer)?.Dispose();
            buffer = new NativeBuffer(Math.Max(size, 64 * 1024));
        }
        return buffer;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ((IDisposable?)_read)?.Dispose();
        ((IDisposable?)_plain)?.Dispose();
        ((IDisposable?)_payload)?.Dispose();
        _read = _plain = _payload = null;
    }
}
