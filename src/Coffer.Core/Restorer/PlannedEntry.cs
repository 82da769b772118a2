using Coffer.Core.Interop;
using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Restorer;

/// <summary>
/// One non-directory entry of the restore. For a file: its content blobs with their offsets and lengths (from
/// the index, never from the node's size) and which of them must be written. The run-time fields are updated
/// by several pack workers; they use <see cref="Interlocked"/> and <see cref="Gate"/>.
/// </summary>
internal sealed class PlannedEntry(PlannedDirectory directory, byte[] name, Node node, EntryKind kind)
{
    /// <summary>The directory it is created in.</summary>
    public PlannedDirectory Directory { get; } = directory;

    /// <summary>The name inside the directory.</summary>
    public byte[] Name { get; } = name;

    /// <summary>Path from the restored root.</summary>
    public byte[] Path => PosixPath.Join(Directory.Path.Length == 0 ? "/"u8 : Directory.Path, Name);

    /// <summary>The path for messages.</summary>
    public string DisplayPath => System.Text.Encoding.UTF8.GetString(Path);

    /// <summary>The snapshot's node.</summary>
    public Node Node { get; } = node;

    /// <summary>What is created.</summary>
    public EntryKind Kind { get; } = kind;

    /// <summary>What was at this name when planning, if anything.</summary>
    public FileStatus? Existing { get; set; }

    /// <summary>The action reported when it is done.</summary>
    public RestoreAction Action { get; set; } = RestoreAction.Restored;

    /// <summary>Left alone entirely (overwrite mode); reported as unchanged.</summary>
    public bool Skip { get; set; }

    /// <summary>An existing regular file whose content must be compared blob by blob before deciding.</summary>
    public bool CheckContent { get; set; }

    /// <summary>Content is written into the existing file rather than into a new one.</summary>
    public bool InPlace { get; set; }

    /// <summary>Content blobs in order (files only).</summary>
    public IReadOnlyList<BlobId> Blobs { get; set; } = [];

    /// <summary>File offset of each blob.</summary>
    public long[] Offsets { get; set; } = [];

    /// <summary>Plaintext length of each blob, from the index.</summary>
    public int[] Lengths { get; set; } = [];

    /// <summary>File size: the sum of <see cref="Lengths"/>.</summary>
    public long Size { get; set; }

    /// <summary>Which blobs must be written; null means all.</summary>
    public bool[]? Needed { get; set; }

    /// <summary>For a hard link: the file it is another name of.</summary>
    public PlannedEntry? LinkSource { get; set; }

    /// <summary>Blob writes still outstanding.</summary>
    public int Remaining;

    /// <summary>Serialises creating the file between pack workers.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The file exists in the target (created by this run, or the in-place file opened).</summary>
    public bool Created { get; set; }

    /// <summary>Set once something went wrong; the first message is reported.</summary>
    public string? Error { get; private set; }

    /// <summary>True once <see cref="Fail"/> was called.</summary>
    public bool Failed => Volatile.Read(ref _failed) != 0;

    private int _failed;

    /// <summary>
    /// Marks the entry failed with the message to report (null: already reported elsewhere, e.g. for its
    /// directory); true for the first caller only.
    /// </summary>
    public bool Fail(string? message)
    {
        if (Interlocked.Exchange(ref _failed, 1) != 0)
        {
            return false;
        }
        Error = message;
        return true;
    }

    /// <summary>The number of blobs to write.</summary>
    public int NeededCount => Needed is null ? Blobs.Count : Needed.Count(n => n);
}
