using Coffer.Core.Model;

namespace Coffer.Core.Restorer;

/// <summary>
/// One directory of the restore: the target root (index 0), a selected directory (with its node, whose metadata
/// is applied after its children), or a directory that only leads to selected paths (no node; created 0700, as
/// restic does). Planning fills it; the structure pass updates <see cref="Failed"/>.
/// </summary>
internal sealed class PlannedDirectory(int index, int parent, byte[] name, byte[] path, Node? node)
{
    /// <summary>Position in <see cref="RestorePlan.Directories"/> (pre-order).</summary>
    public int Index { get; } = index;

    /// <summary>The parent's index; -1 for the target root.</summary>
    public int Parent { get; } = parent;

    /// <summary>The name inside the parent (one clean component; empty for the root).</summary>
    public byte[] Name { get; } = name;

    /// <summary>Path from the restored root, <c>/a/b</c> (empty for the root).</summary>
    public byte[] Path { get; } = path;

    /// <summary>The path for messages.</summary>
    public string DisplayPath => Path.Length == 0 ? "/" : System.Text.Encoding.UTF8.GetString(Path);

    /// <summary>The snapshot's node when the directory itself is selected; null otherwise.</summary>
    public Node? Node { get; } = node;

    /// <summary>A real directory was there when planning (so its children were looked at).</summary>
    public bool Existed { get; set; }

    /// <summary>Something other than a directory was there when planning (it is removed first).</summary>
    public bool Blocked { get; set; }

    /// <summary>The non-directory entries to restore in it, in tree order.</summary>
    public List<PlannedEntry> Entries { get; } = [];

    /// <summary>Names found in the target but not in the snapshot, selected for <c>--delete</c>.</summary>
    public List<byte[]> Extra { get; } = [];

    /// <summary>Could not be made a directory: nothing below it is restored.</summary>
    public bool Failed { get; set; }
}
