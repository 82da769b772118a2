using System.Buffers;
using System.Text;

namespace Coffer.Core.Archiver.Filters;

/// <summary>
/// A path as UTF-8 bytes split into components, in caller-provided stack space that grows into rented arrays
/// for long paths. Dispose returns the rented arrays.
/// </summary>
internal ref struct EncodedPath : IDisposable
{
    private byte[]? rentedBytes;
    private Range[]? rentedRanges;

    /// <summary>Encodes <paramref name="path"/>, lower-cased first when <paramref name="lowerCase"/> is set.</summary>
    public EncodedPath(string path, bool lowerCase, Span<byte> byteSpace, Span<Range> rangeSpace)
    {
        var text = lowerCase ? path.ToLowerInvariant() : path;
        var bytes = Grow(byteSpace, Encoding.UTF8.GetMaxByteCount(text.Length), out rentedBytes);
        var length = Encoding.UTF8.GetBytes(text, bytes);
        Components = SplitInto(bytes[..length], rangeSpace, out rentedRanges);
    }

    /// <summary>
    /// Uses <paramref name="utf8Path"/> as it is, or, when <paramref name="lowerCase"/> is set, its decoding
    /// (invalid sequences become U+FFFD) lower-cased and encoded again.
    /// </summary>
    public EncodedPath(ReadOnlySpan<byte> utf8Path, bool lowerCase, Span<byte> byteSpace, Span<Range> rangeSpace)
    {
        if (!lowerCase)
        {
            Components = SplitInto(utf8Path, rangeSpace, out rentedRanges);
            return;
        }
        var text = Encoding.UTF8.GetString(utf8Path).ToLowerInvariant();
        var bytes = Grow(byteSpace, Encoding.UTF8.GetMaxByteCount(text.Length), out rentedBytes);
        var length = Encoding.UTF8.GetBytes(text, bytes);
        Components = SplitInto(bytes[..length], rangeSpace, out rentedRanges);
    }

    /// <summary>The split path.</summary>
    public PathComponents Components { get; private set; }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (rentedBytes is not null)
        {
            ArrayPool<byte>.Shared.Return(rentedBytes);
            rentedBytes = null;
        }
        if (rentedRanges is not null)
        {
            ArrayPool<Range>.Shared.Return(rentedRanges);
            rentedRanges = null;
        }
    }

    private static PathComponents SplitInto(ReadOnlySpan<byte> bytes, Span<Range> rangeSpace, out Range[]? rented)
    {
        var ranges = Grow(rangeSpace, PathComponents.CountOf(bytes), out rented);
        return PathComponents.Split(bytes, ranges);
    }

    private static Span<T> Grow<T>(Span<T> space, int needed, out T[]? rented)
    {
        rented = null;
        if (needed <= space.Length)
        {
            return space;
        }
        rented = ArrayPool<T>.Shared.Rent(needed);
        return rented;
    }
}
