using System.Buffers;
using System.Collections.Concurrent;
using Coffer.Core.Interop;

namespace Coffer.Core.Compression;

/// <summary>
/// Zstandard over the system's <c>libzstd.so.1</c>. Native contexts are pooled and reused; every method is
/// thread-safe. Corrupt input surfaces as <see cref="InvalidDataException"/>.
/// </summary>
internal static class Zstd
{
    /// <summary>Level for <see cref="CompressionMode.Auto"/> (and for what <see cref="CompressionMode.Off"/> still compresses).</summary>
    public const int AutoLevel = 3;

    /// <summary>Level for <see cref="CompressionMode.Max"/>.</summary>
    public const int MaxLevel = 11;

    // Streaming output grows geometrically from here (or from a multiple of the input), up to the caller's bound.
    private const int MinimumStreamBuffer = 4096;

    private static readonly ConcurrentBag<ZstdCompressionContext> CompressionContexts = [];
    private static readonly ConcurrentBag<ZstdDecompressionContext> DecompressionContexts = [];

    /// <summary>
    /// The zstd level used for <paramref name="mode"/>. <see cref="CompressionMode.Off"/> only switches off
    /// compression of data blobs; what is still compressed uses the <see cref="CompressionMode.Auto"/> level.
    /// </summary>
    public static int LevelFor(CompressionMode mode) => mode switch
    {
        CompressionMode.Auto or CompressionMode.Off => AutoLevel,
        CompressionMode.Max => MaxLevel,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown compression mode"),
    };

    /// <summary>The largest compressed size of <paramref name="length"/> input bytes (a safe destination size).</summary>
    public static int CompressBound(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var bound = LibZstd.CompressBound((nuint)length);
        if (bound == 0 || bound > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "input too large for one zstd frame in memory");
        }
        return (int)bound;
    }

    /// <summary>
    /// Compresses <paramref name="source"/> into one frame (with content size, without checksum) in
    /// <paramref name="destination"/> and returns the bytes written. A destination of
    /// <see cref="CompressBound"/> bytes always suffices; a smaller one that turns out too small throws
    /// <see cref="ArgumentException"/>.
    /// </summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination, int level) =>
        TryCompress(source, destination, level, out var written)
            ? written
            : throw new ArgumentException("zstd compression failed: destination buffer is too small", nameof(destination));

    /// <summary>
    /// Like <see cref="Compress"/>, but returns false when the frame does not fit into
    /// <paramref name="destination"/> — which, with a destination one byte shorter than the source, means
    /// "compression does not pay". Other failures throw.
    /// </summary>
    public static unsafe bool TryCompress(ReadOnlySpan<byte> source, Span<byte> destination, int level, out int written)
    {
        if (!CompressionContexts.TryTake(out var context))
        {
            context = ZstdCompressionContext.Create();
        }
        nuint result;
        try
        {
            fixed (byte* src = source)
            fixed (byte* dst = destination)
            {
                result = LibZstd.CompressCCtx(context, dst, (nuint)destination.Length, src, (nuint)source.Length, level);
            }
        }
        finally
        {
            CompressionContexts.Add(context);
        }
        written = 0;
        if (LibZstd.Failed(result))
        {
            // ZSTD_error_dstSize_tooSmall is 70; the error codes are returned as (size_t)-code.
            if ((nuint)(-(nint)result) == 70)
            {
                return false;
            }
            throw new ArgumentException($"zstd compression failed: {LibZstd.ErrorName(result)}", nameof(destination));
        }
        written = (int)result;
        return true;
    }

    /// <summary>Compresses <paramref name="source"/> into a new array holding exactly the frame.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> source, int level)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CompressBound(source.Length));
        try
        {
            var written = Compress(source, buffer, level);
            return buffer.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Decompresses <paramref name="source"/> (one or more frames) into <paramref name="destination"/>, which must be
    /// exactly the decompressed size (as recorded for a compressed blob). Throws <see cref="InvalidDataException"/>
    /// when the data is corrupt or decompresses to any other length.
    /// </summary>
    public static unsafe void DecompressKnownSize(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var context = RentDecompression();
        nuint result;
        try
        {
            fixed (byte* src = source)
            fixed (byte* dst = destination)
            {
                result = LibZstd.DecompressDCtx(context, dst, (nuint)destination.Length, src, (nuint)source.Length);
            }
        }
        finally
        {
            DecompressionContexts.Add(context);
        }
        if (LibZstd.Failed(result))
        {
            throw new InvalidDataException($"zstd decompression failed: {LibZstd.ErrorName(result)}");
        }
        if (result != (nuint)destination.Length)
        {
            throw new InvalidDataException($"zstd data decompressed to {result} bytes, expected {destination.Length}");
        }
    }

    /// <summary>
    /// The decompressed size of <paramref name="source"/> when it is exactly one frame that states its size;
    /// -1 otherwise (several frames, no size in the header, or not a frame).
    /// </summary>
    public static unsafe long SingleFrameContentSize(ReadOnlySpan<byte> source)
    {
        if (source.IsEmpty)
        {
            return -1;
        }
        fixed (byte* src = source)
        {
            var size = LibZstd.GetFrameContentSize(src, (nuint)source.Length);
            if (size == LibZstd.ContentSizeError || size == LibZstd.ContentSizeUnknown || size > long.MaxValue
                || LibZstd.FindFrameCompressedSize(src, (nuint)source.Length) != (nuint)source.Length)
            {
                return -1;
            }
            return (long)size;
        }
    }

    /// <summary>
    /// Decompresses a whole zstd stream of unknown size: one or more frames, with or without content size and
    /// checksum. Throws <see cref="InvalidDataException"/> when the data is empty, corrupt or truncated, or would
    /// decompress to more than <paramref name="maxOutput"/> bytes (a bound against decompression bombs).
    /// </summary>
    public static unsafe byte[] Decompress(ReadOnlySpan<byte> source, int maxOutput)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxOutput);
        if (source.IsEmpty)
        {
            throw new InvalidDataException("zstd data is empty");
        }
        fixed (byte* src = source)
        {
            // Fast path: a single frame that states its size.
            var contentSize = LibZstd.GetFrameContentSize(src, (nuint)source.Length);
            if (contentSize == LibZstd.ContentSizeError)
            {
                throw new InvalidDataException("zstd data does not start with a valid frame header");
            }
            if (contentSize != LibZstd.ContentSizeUnknown && LibZstd.FindFrameCompressedSize(src, (nuint)source.Length) == (nuint)source.Length)
            {
                if (contentSize > (ulong)maxOutput)
                {
                    throw new InvalidDataException($"zstd frame declares {contentSize} bytes, more than the limit of {maxOutput}");
                }
                var exact = new byte[(int)contentSize];
                DecompressKnownSize(source, exact);
                return exact;
            }
            return DecompressStream(src, source.Length, maxOutput);
        }
    }

    private static unsafe byte[] DecompressStream(byte* source, int length, int maxOutput)
    {
        var context = RentDecompression();
        var capacity = (int)Math.Min((long)maxOutput + 1, Math.Max(MinimumStreamBuffer, 4L * length));
        var buffer = ArrayPool<byte>.Shared.Rent(capacity);
        var written = 0;
        try
        {
            var reset = LibZstd.DCtxReset(context, LibZstd.ResetSessionOnly);
            if (LibZstd.Failed(reset))
            {
                throw new InvalidDataException($"zstd reset failed: {LibZstd.ErrorName(reset)}");
            }
            var input = new ZstdInBuffer { Source = source, Size = (nuint)length, Position = 0 };
            nuint hint = 1;
            while (true)
            {
                if (written == buffer.Length)
                {
                    if (written > maxOutput)
                    {
                        throw new InvalidDataException($"zstd data decompresses to more than the limit of {maxOutput} bytes");
                    }
                    var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)maxOutput + 1, 2L * buffer.Length));
                    buffer.AsSpan(0, written).CopyTo(grown);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = grown;
                }
                fixed (byte* dst = buffer)
                {
                    var output = new ZstdOutBuffer { Destination = dst, Size = (nuint)buffer.Length, Position = (nuint)written };
                    hint = LibZstd.DecompressStream(context, &output, &input);
                    written = (int)output.Position;
                }
                if (LibZstd.Failed(hint))
                {
                    throw new InvalidDataException($"zstd decompression failed: {LibZstd.ErrorName(hint)}");
                }
                if (written > maxOutput)
                {
                    throw new InvalidDataException($"zstd data decompresses to more than the limit of {maxOutput} bytes");
                }
                // Done when all input is consumed, the last frame is complete (hint 0) and nothing is left to flush
                // (a full output buffer may still hide pending output, so go round once more in that case).
                if (input.Position == input.Size && written < buffer.Length)
                {
                    break;
                }
            }
            if (hint != 0)
            {
                throw new InvalidDataException("zstd data is truncated: the last frame is incomplete");
            }
            return buffer.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            DecompressionContexts.Add(context);
        }
    }

    private static ZstdDecompressionContext RentDecompression()
        => DecompressionContexts.TryTake(out var context) ? context : ZstdDecompressionContext.Create();
}
