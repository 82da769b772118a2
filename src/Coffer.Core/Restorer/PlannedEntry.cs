using Coffer.Core.Primitives;

namespace Coffer.Core.Restorer;

/// <summary>
/// One non-directory entry of the restore. For a file: its content blobs with their lengths (from the index,
/// never from the node's size; a blob's offset is the sum of the lengths before it) and which of them must be
/// written. The run-time fields are updated by several pack workers; they use <see cref="Interlocked"/>, and
/// creating the file is serialised by locking the entry itself.
/// </summary>
internal sealed class PlannedEntry(PlannedDirectory directory, byte[] name, EntryMetadata metadata, EntryKind kind)
{
    /// <summary>The directory it is created in.</summary>
    public PlannedDirectory Directory { get; } = directory;

    /// <summary>The name inside the directory.</summary>
    public byte[] Name { get; } = name;

    /// <summary>The path from the restored root, for messages (built from the directory chain on each call).</summary>
    public string DisplayPath => Directory.DisplayPathTo(Name);

    /// <summary>The snapshot node's metadata.</summary>
    public EntryMetadata Metadata { get; } = metadata;

    /// <summary>What is created.</summary>
    public EntryKind Kind { get; } = kind;

    /// <summary>
    /// The file type bits (<see cref="Interop.FileStatus.TypeMask"/>) of what was at this name when planning;
    /// 0 when there was nothing.
    /// </summary>
    public uint ExistingType { get; set; }

    /// <summary>Something was at this name when planning.</summary>
    public bool HadExisting => ExistingType != 0;

    /// <summary>For a device: what was at this name is already a device of the same type and number.</summary>
    public bool ExistingSameDevice { get; set; }

    /// <summary>The action reported when it is done.</summary>
    public RestoreAction Action { get; set; } = RestoreAction.Restored;

    /// <summary>Left alone entirely (overwrite mode); reported as unchanged.</summary>
    public bool Skip { get; set; }

    /// <summary>An existing regular file whose content must be compared blob by blob before deciding.</summary>
    public bool CheckContent { get; set; }

    /// <summary>Content is written into the existing file rather than into a new one.</summary>
    public bool InPlace { get; set; }

    /// <summary>Content blobs in order (files only).</summary>
    public BlobId[] Blobs { get; set; } = [];

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

    /// <summary>The file exists in the target (created by this run, or the in-place file opened).</summary>
    public bool Created { get; set; }

    /// <summary>This run created the file (it was not there before).</summary>
    public bool New { get; set; }

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
    public int NeededCount => Needed is null ? Blobs.Length : Needed.Count(n => n);

    /// <summary>File offset of blob <paramref name="blob"/>: the lengths of the blobs before it added up.</summary>
    public long OffsetOf(int blob)
    {
        long offset = 0;
        for (var i = 0; i < blob; i++)
        {
            offset += Lengths[i];
        }
        return offset;
    }
}
