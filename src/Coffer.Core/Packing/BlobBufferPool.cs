using System.Buffers;

namespace Coffer.Core.Packing;

/// <summary>
/// The pool for chunk-sized scratch buffers (chunk copies waiting for a blob worker, compression output).
/// Unlike <see cref="ArrayPool{T}.Shared"/>, which keeps several multi-megabyte arrays per core and per
/// thread, it keeps only a few per size, so a long backup's memory stays flat.
/// </summary>
public static class BlobBufferPool
{
    /// <summary>The pool: arrays up to 16 MiB, a few kept per size class.</summary>
    public static ArrayPool<byte> Shared { get; } = ArrayPool<byte>.Create(16 * 1024 * 1024, Math.Max(2, Environment.ProcessorCount));
}
