using System.Buffers;
using System.Text;

namespace Coffer.Core.Restorer;

/// <summary>
/// One directory of the restore: the target root (index 0), a selected directory (with its node's metadata,
/// applied after its children), or a directory that only leads to selected paths (not <see cref="Selected"/>;
/// created 0700, as restic does). Planning fills it; the structure pass updates <see cref="Failed"/>. Its path is
/// not stored: it is built from the names up the parent chain when a message needs it.
/// </summary>
internal sealed class PlannedDirectory(int index, PlannedDirectory? parent, byte[] name, EntryMetadata? metadata)
{
    /// <summary>Paths up to this many bytes are assembled on the stack.</summary>
    private const int StackPath = 512;

    // Made only when --delete finds something: nearly every directory has no extra names.
    private List<byte[]>? _extra;

    /// <summary>Position in <see cref="RestorePlan.Directories"/> (pre-order).</summary>
    public int Index { get; } = index;

    /// <summary>The parent directory; null for the target root.</summary>
    public PlannedDirectory? ParentDirectory { get; } = parent;

    /// <summary>The parent's index; -1 for the target root.</summary>
    public int Parent => ParentDirectory?.Index ?? -1;

    /// <summary>The name inside the parent (one clean component; empty for the root).</summary>
    public byte[] Name { get; } = name;

    /// <summary>The path from the restored root for messages, <c>/a/b</c> (<c>/</c> for the root).</summary>
    public string DisplayPath => ParentDirectory is null ? "/" : DisplayPathTo([]);

    /// <summary>The directory itself is selected: its metadata is applied and it is counted.</summary>
    public bool Selected { get; } = metadata.HasValue;

    /// <summary>The snapshot node's metadata when <see cref="Selected"/>; default otherwise.</summary>
    public EntryMetadata Metadata { get; } = metadata.GetValueOrDefault();

    /// <summary>A real directory was there when planning (so its children were looked at).</summary>
    public bool Existed { get; set; }

    /// <summary>Handed to the background maker while planning (new, below the root or another handed one).</summary>
    public bool Handed { get; set; }

    /// <summary>Whether the directory is in place to be filled; null until the structure pass looked at it.</summary>
    public bool? Ready { get; set; }

    /// <summary>This restore made the directory (its <c>mkdirat</c> succeeded).</summary>
    public bool Made { get; set; }

    /// <summary>Something other than a directory was there when planning (it is removed first).</summary>
    public bool Blocked { get; set; }

    /// <summary>The non-directory entries to restore in it, in tree order (set once its tree was walked).</summary>
    public PlannedEntry[] Entries { get; set; } = [];

    /// <summary>Names found in the target but not in the snapshot, selected for <c>--delete</c>.</summary>
    public IReadOnlyList<byte[]> Extra => _extra ?? (IReadOnlyList<byte[]>)[];

    /// <summary>Could not be made a directory: nothing below it is restored.</summary>
    public bool Failed { get; set; }

    /// <summary>Adds a name to <see cref="Extra"/>.</summary>
    public void AddExtra(byte[] extra) => (_extra ??= []).Add(extra);

    /// <summary>
    /// The path of <paramref name="child"/> inside this directory (<c>/a/b/child</c>; the directory's own when
    /// empty) for messages: UTF-8 decoded, invalid bytes shown as U+FFFD.
    /// </summary>
    public string DisplayPathTo(ReadOnlySpan<byte> child)
    {
        var length = PathLength(child);
        if (length <= StackPath)
        {
            Span<byte> stack = stackalloc byte[length];
            WritePath(stack, child);
            return Encoding.UTF8.GetString(stack);
        }
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            WritePath(rented.AsSpan(0, length), child);
            return Encoding.UTF8.GetString(rented, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private int PathLength(ReadOnlySpan<byte> child)
    {
        var length = child.IsEmpty ? 0 : child.Length + 1;
        for (var dir = this; dir.ParentDirectory is not null; dir = dir.ParentDirectory)
        {
            length += dir.Name.Length + 1;
        }
        return length;
    }

    /// <summary>Fills <paramref name="path"/>, exactly <see cref="PathLength"/> bytes, from its end up the parent chain.</summary>
    private void WritePath(Span<byte> path, ReadOnlySpan<byte> child)
    {
        var end = path.Length;
        if (!child.IsEmpty)
        {
            end -= child.Length;
            child.CopyTo(path[end..]);
            path[--end] = (byte)'/';
        }
        for (var dir = this; dir.ParentDirectory is not null; dir = dir.ParentDirectory)
        {
            end -= dir.Name.Length;
            dir.Name.CopyTo(path[end..]);
            path[--end] = (byte)'/';
        }
    }
}
