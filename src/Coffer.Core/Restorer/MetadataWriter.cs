using Coffer.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace Coffer.Core.Restorer;

/// <summary>
/// Applies a node's metadata as restic restores it, in restic's order: owner (when restoring ownership), mode
/// (after the owner, which clears setuid and setgid), extended attributes, then times, so the mtime sticks.
/// Works on open handles or on names inside a held directory, never on paths. Each failing step is reported
/// and the others still run. Thread-safe.
/// </summary>
internal sealed class MetadataWriter(bool ownership, bool ownerByName, RestoreCounters counters, CreationModel creation)
{
    /// <summary>What this restore's new files and directories are like when created (saves reading it back).</summary>
    public CreationModel Creation { get; } = creation;

    /// <summary>
    /// Sets the metadata of an open regular file or directory; <paramref name="known"/> is its status when the
    /// caller has just read it (saves one <c>fstat</c>).
    /// </summary>
    public void Apply(SafeFileHandle handle, EntryMetadata meta, string path, FileStatus? known = null)
    {
        // Owner and mode are changed only where they differ: a restored file is usually created with both
        // already right, and fchown/fchmod each dirty the inode (a journal update) where fstat only reads it.
        var current = known;
        try
        {
            current ??= PosixFileSystem.FStat(handle);
        }
        catch (IOException)
        {
            // Not known: both are set.
        }
        if (ownership)
        {
            var (uid, gid) = Owner(meta);
            if (current is not { } st || (st.Uid, st.Gid) != (uid, gid))
            {
                Guard(path, () => PosixFileSystem.Chown(handle, uid, gid));
                current = null; // chown may clear the set-id bits
            }
        }
        if (current is not { } now || (now.Mode & 0xFFF) != meta.Permissions)
        {
            Guard(path, () => PosixFileSystem.Chmod(handle, meta.Permissions));
        }
        foreach (var attribute in meta.ExtendedAttributes)
        {
            Guard(path, () => PosixFileSystem.SetXattr(handle, attribute.Name, attribute.Value ?? []));
        }
        Guard(path, () => PosixFileSystem.SetTimes(handle, meta.AccessTime, meta.ModTime));
    }

    /// <summary>
    /// Sets the metadata of directory <paramref name="name"/> in <paramref name="parent"/>. Where only its times
    /// differ (the usual case: a directory is created with its owner and mode), they are set by name with
    /// <c>AT_SYMLINK_NOFOLLOW</c>, without opening the directory; otherwise it is opened (never through a symlink)
    /// and <see cref="Apply"/> does the rest. Throws <see cref="PosixException"/> when it is gone or not a directory.
    /// <paramref name="known"/> is its status when the caller knows it (saves the <c>fstatat</c>).
    /// </summary>
    public void ApplyToDirectoryAt(SafeFileHandle parent, byte[] name, EntryMetadata meta, string path, FileStatus? known = null)
    {
        var current = known;
        if (current is null && PosixFileSystem.TryLStatAt(parent, name, out var read, out _))
        {
            current = read;
        }
        if (current is { IsDirectory: true } status && OwnerAndModeMatch(status, meta) && meta.ExtendedAttributes.Count == 0)
        {
            // Had it been swapped for a symlink since, the symlink's own times would be set: nothing is followed.
            Guard(path, () => PosixFileSystem.SetTimesAt(parent, name, meta.AccessTime, meta.ModTime));
            return;
        }
        using var handle = PosixFileSystem.TryOpenDirectoryAt(parent, name, out var errno) ?? throw new PosixException("open", path, errno);
        Apply(handle, meta, path);
    }

    /// <summary>
    /// Sets the metadata of a symlink, fifo or device <paramref name="name"/> just created in
    /// <paramref name="directory"/>. A symlink keeps its mode (Linux has none to set).
    /// </summary>
    public void ApplyAt(SafeFileHandle directory, byte[] name, EntryMetadata meta, string path, bool isSymlink)
    {
        if (ownership)
        {
            var (uid, gid) = Owner(meta);
            Guard(path, () => PosixFileSystem.ChownAt(directory, name, uid, gid));
        }
        if (!isSymlink)
        {
            Guard(path, () => PosixFileSystem.ChmodAt(directory, name, meta.Permissions));
        }
        foreach (var attribute in meta.ExtendedAttributes)
        {
            Guard(path, () => PosixFileSystem.SetXattrAt(directory, name, attribute.Name, attribute.Value ?? []));
        }
        Guard(path, () => PosixFileSystem.SetTimesAt(directory, name, meta.AccessTime, meta.ModTime));
    }

    /// <summary>Whether <paramref name="status"/> already has the owner (when restoring ownership) and mode of <paramref name="meta"/>.</summary>
    private bool OwnerAndModeMatch(FileStatus status, EntryMetadata meta) =>
        (!ownership || Owner(meta) == (status.Uid, status.Gid)) && (status.Mode & 0xFFF) == meta.Permissions;

    private (uint Uid, uint Gid) Owner(EntryMetadata meta)
    {
        if (!ownerByName)
        {
            return (meta.Uid, meta.Gid);
        }
        var uid = UserNames.Shared.UserId(meta.User) ?? meta.Uid;
        var gid = UserNames.Shared.GroupId(meta.Group) ?? meta.Gid;
        return (uid, gid);
    }

    private void Guard(string path, Action step)
    {
        try
        {
            step();
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            counters.Error(path, e.Message);
        }
    }
}
