namespace Coffer.Core.Maintenance;

/// <summary>What <see cref="SnapshotRepairer"/> changed at one path of a snapshot.</summary>
public enum NodeRepairKind
{
    /// <summary>A node of an invalid type (<c>irregular</c> or no type) was removed.</summary>
    InvalidTypeRemoved,
    /// <summary>Data blobs of a file that the index does not have were removed from its content (the file got shorter).</summary>
    ContentRemoved,
    /// <summary>All content is there, but the recorded size was not its sum; the size was corrected.</summary>
    SizeFixed,
    /// <summary>A directory's tree could not be loaded; the directory was kept, empty.</summary>
    DirectoryEmptied,
    /// <summary>The snapshot's root tree could not be loaded; nothing of the snapshot is left.</summary>
    RootUnreadable,
}
