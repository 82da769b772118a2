using Coffer.Core.Interop;
using Coffer.Core.Model;
using Microsoft.Win32.SafeHandles;

namespace Coffer.Core.Restorer;

/// <summary>
/// Applies a node's metadata as restic restores it, in restic's order: owner (when restoring ownership), mode
/// (after the owner, which clears setuid and setgid), extended attributes, then times, so the mtime sticks.
/// Works on open handles or on names inside a held directory, never on paths. Each failing step is reported
/// and the others still run. Thread-safe.
/// </summary>
internal sealed class MetadataWriter(bool ownership, bool ownerByName, RestoreCounters counters)
{
    /// <summary>Sets the metadata of an open regular file or directory.</summary>
    public void Apply(SafeFileHandle handle, Node node, string path)
    {
        if (ownership)
        {
            var (uid, gid) = Owner(node);
            Guard(path, () => PosixFileSystem.Chown(handle, uid, gid));
        }
        Guard(path, () => PosixFileSystem.Chmod(handle, Permissions(node)));
        foreach (var attribute in node.ExtendedAttributes)
        {
            Guard(path, () => PosixFileSystem.SetXattr(handle, attribute.Name, attribute.Value ?? []));
        }
        Guard(path, () => PosixFileSystem.SetTimes(handle, node.AccessTime, node.ModTime));
    }

    /// <summary>
    /// Sets the metadata of a symlink, fifo or device <paramref name="name"/> just created in
    /// <paramref name="directory"/>. A symlink keeps its mode (Linux has none to set).
    /// </summary>
    public void ApplyAt(SafeFileHandle directory, byte[] name, Node node, string path, bool isSymlink)
    {
        if (ownership)
        {
            var (uid, gid) = Owner(node);
            Guard(path, () => PosixFileSystem.ChownAt(directory, name, uid, gid));
        }
        if (!isSymlink)
        {
            Guard(path, () => PosixFileSystem.ChmodAt(directory, name, Permissions(node)));
        }
        foreach (var attribute in node.ExtendedAttributes)
        {
            Guard(path, () => PosixFileSystem.SetXattrAt(directory, name, attribute.Name, attribute.Value ?? []));
        }
        Guard(path, () => PosixFileSystem.SetTimesAt(directory, name, node.AccessTime, node.ModTime));
    }

    /// <summary>Permission, setuid, setgid and sticky bits of a node, as POSIX bits.</summary>
    public static uint Permissions(Node node) => GoFileMode.ToPosix(node.Mode) & 0xFFF;

    private (uint Uid, uint Gid) Owner(Node node)
    {
        if (!ownerByName)
        {
            return (node.Uid, node.Gid);
        }
        var uid = UserNames.Shared.UserId(node.User) ?? node.Uid;
        var gid = UserNames.Shared.GroupId(node.Group) ?? node.Gid;
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
