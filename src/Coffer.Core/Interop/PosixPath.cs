using System.Text;

namespace Coffer.Core.Interop;

/// <summary>
/// Paths as raw bytes, the way Linux stores them: a name need not be valid UTF-8, and such names must
/// round-trip byte for byte from backup to restore. Strings are only for display and for callers that
/// start from a <see cref="string"/> (encoded as UTF-8).
/// </summary>
public static class PosixPath
{
    /// <summary>Paths up to this many bytes are NUL-terminated on the stack before a native call.</summary>
    internal const int StackLimit = 512;

    /// <summary>The UTF-8 bytes of <paramref name="path"/>.</summary>
    public static byte[] FromString(string path) => Encoding.UTF8.GetBytes(path);

    /// <summary>
    /// <paramref name="directory"/> and <paramref name="name"/> joined with one <c>/</c> (none added when the
    /// directory is empty or already ends with <c>/</c>). Always a new array.
    /// </summary>
    public static byte[] Join(ReadOnlySpan<byte> directory, ReadOnlySpan<byte> name)
    {
        if (directory.IsEmpty)
        {
            return name.ToArray();
        }
        var slash = directory[^1] == (byte)'/' ? 0 : 1;
        var joined = new byte[directory.Length + slash + name.Length];
        directory.CopyTo(joined);
        if (slash == 1)
        {
            joined[directory.Length] = (byte)'/';
        }
        name.CopyTo(joined.AsSpan(directory.Length + slash));
        return joined;
    }

    /// <summary>The path for display: UTF-8 decoded, each invalid byte shown as U+FFFD. Not reversible.</summary>
    public static string ToDisplayString(ReadOnlySpan<byte> path) => Encoding.UTF8.GetString(path);

    /// <summary>True when the bytes are valid UTF-8 (so <see cref="ToDisplayString"/> is exact).</summary>
    public static bool IsValidUtf8(ReadOnlySpan<byte> path) => System.Text.Unicode.Utf8.IsValid(path);

    /// <summary>
    /// True when <paramref name="name"/> is one clean path component: not empty, not <c>.</c> or <c>..</c>, and
    /// without <c>/</c> or NUL. Restore refuses node names that are not.
    /// </summary>
    public static bool IsSingleComponent(ReadOnlySpan<byte> name) =>
        !name.IsEmpty
        && !name.SequenceEqual("."u8)
        && !name.SequenceEqual(".."u8)
        && name.IndexOfAny((byte)'/', (byte)0) < 0;

    /// <summary>
    /// <paramref name="path"/> with a NUL appended, in <paramref name="buffer"/> when it fits, else in a new array.
    /// Throws <see cref="ArgumentException"/> when the path holds a NUL byte (C would cut it there).
    /// </summary>
    internal static Span<byte> Terminate(ReadOnlySpan<byte> path, Span<byte> buffer)
    {
        if (path.Contains((byte)0))
        {
            throw new ArgumentException($"path contains a NUL byte: {ToDisplayString(path)}", nameof(path));
        }
        var target = path.Length < buffer.Length ? buffer[..(path.Length + 1)] : new byte[path.Length + 1];
        path.CopyTo(target);
        target[^1] = 0;
        return target;
    }
}
