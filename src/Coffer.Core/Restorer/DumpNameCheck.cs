using System.Text;
using Coffer.Core.Primitives;

namespace Coffer.Core.Restorer;

/// <summary>
/// Refuses node names that are not one clean path component (empty, <c>.</c>, <c>..</c>, containing
/// <c>/</c> or NUL), so that no archive entry and no looked-up path can reach outside its root, whatever a
/// hostile repository stores. Stateless and thread-safe.
/// </summary>
public static class DumpNameCheck
{
    /// <summary>True when <paramref name="name"/> is one clean path component.</summary>
    public static bool IsClean(ReadOnlySpan<byte> name) =>
        name.Length > 0 && !name.SequenceEqual("."u8) && !name.SequenceEqual(".."u8) && name.IndexOfAny((byte)'/', (byte)0) < 0;

    /// <summary>
    /// Throws a <see cref="RepositoryCorruptException"/> naming the node (quoted, with its directory) when
    /// <paramref name="name"/> is not clean.
    /// </summary>
    /// <param name="name">The node's raw name.</param>
    /// <param name="directory">The slash-separated path of the directory holding it (raw bytes, e.g. <c>/src</c>).</param>
    public static void Ensure(ReadOnlySpan<byte> name, ReadOnlySpan<byte> directory)
    {
        if (!IsClean(name))
        {
            var shown = Encoding.UTF8.GetString(name).Replace("\0", "\\x00", StringComparison.Ordinal);
            var dir = directory.IsEmpty ? "/" : Encoding.UTF8.GetString(directory);
            throw new RepositoryCorruptException("tree", $"refusing node name \"{shown}\" in {dir}: a name must be one path component (not empty, '.', '..', and without '/' or NUL)");
        }
    }
}
