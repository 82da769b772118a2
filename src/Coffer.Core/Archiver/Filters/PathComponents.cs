namespace Coffer.Core.Archiver.Filters;

/// <summary>
/// A path's UTF-8 bytes cut at every slash, the way restic splits paths before matching: a leading slash
/// becomes a first component <c>/</c>; nothing is cleaned, so <c>/</c> is <c>["/", ""]</c> and a
/// trailing slash yields a final empty component.
/// </summary>
internal readonly ref struct PathComponents
{
    private readonly ReadOnlySpan<byte> bytes;
    private readonly ReadOnlySpan<Range> ranges;

    private PathComponents(ReadOnlySpan<byte> bytes, ReadOnlySpan<Range> ranges)
    {
        this.bytes = bytes;
        this.ranges = ranges;
    }

    /// <summary>Number of components.</summary>
    public int Count => ranges.Length;

    /// <summary>Whether the path is absolute (its first component is the root marker).</summary>
    public bool IsAbsolute => bytes.Length > 0 && bytes[0] == '/';

    /// <summary>The bytes of component <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> this[int index] => bytes[ranges[index]];

    /// <summary>How many components <paramref name="path"/> has, to size the storage for <see cref="Split"/>.</summary>
    public static int CountOf(ReadOnlySpan<byte> path) => path.Count((byte)'/') + 1;

    /// <summary>Splits <paramref name="path"/> using <paramref name="storage"/> (at least <see cref="CountOf"/> long).</summary>
    public static PathComponents Split(ReadOnlySpan<byte> path, Span<Range> storage)
    {
        var count = 0;
        var start = 0;
        for (var i = 0; i <= path.Length; i++)
        {
            if (i == path.Length || path[i] == '/')
            {
                // An empty first component means a leading slash: it stands for the root as "/".
                var isRoot = count == 0 && i == 0 && path.Length > 0;
                storage[count++] = isRoot ? new Range(0, 1) : new Range(start, i);
                start = i + 1;
            }
        }
        return new PathComponents(path, storage[..count]);
    }
}
