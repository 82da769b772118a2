namespace Coffer.Core.Restorer;

/// <summary>
/// One pack worker's reusable buffers: the ranged-read buffer and the plaintext buffer, grown on demand (never
/// beyond the read cap or <see cref="Packing.BlobCodec.MaxBlobPlaintext"/>, which callers check first) and kept for
/// the next pack, so a restore allocates a few buffers per worker, not one per blob.
/// </summary>
internal sealed class WorkerBuffers
{
    private byte[] _read = [];
    private byte[] _plain = [];

    /// <summary>A read buffer of at least <paramref name="length"/> bytes.</summary>
    public byte[] Read(int length) => Ensure(ref _read, length);

    /// <summary>A plaintext buffer of at least <paramref name="length"/> bytes.</summary>
    public byte[] Plain(int length) => Ensure(ref _plain, length);

    private static byte[] Ensure(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            var size = Math.Max(length, Math.Min(buffer.Length * 2, 16 * 1024 * 1024));
            buffer = GC.AllocateUninitializedArray<byte>(Math.Max(size, 64 * 1024));
        }
        return buffer;
    }
}
