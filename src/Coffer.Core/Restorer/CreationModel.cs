using Coffer.Core.Interop;
using Coffer.Core.Primitives;
using Microsoft.Win32.SafeHandles;

namespace Coffer.Core.Restorer;

/// <summary>
/// The owner and mode a file or directory has right after this restore created it, so that they need not be
/// read back before being compared with the snapshot's (one <c>fstat</c> or <c>fstatat</c> fewer per item): the
/// effective user and group, and the create mode without the umask's bits. It is assumed only below directories
/// this restore made itself all the way from a target root that has neither the set-group-id bit nor a default
/// ACL (either would decide the group or the mode instead, and what is made below inherits them), and only once
/// the first file and the first directory created were checked against their real status: a file system that
/// differs (root squash, forced modes) turns the assumption off for good. Thread-safe.
/// </summary>
internal sealed class CreationModel
{
    private const int Unchecked = 0;
    private const int Holds = 1;
    private const int Fails = -1;

    private readonly uint? _umask;
    private readonly uint _uid;
    private readonly uint _gid;
    private int _files;
    private int _directories;

    private CreationModel(uint? umask, uint uid, uint gid)
    {
        _umask = umask;
        _uid = uid;
        _gid = gid;
    }

    /// <summary>
    /// The model of this process (its umask, effective user and group) for a restore into <paramref name="root"/>;
    /// one that assumes nothing when the root is set-group-id, has a default ACL, or cannot be looked at.
    /// </summary>
    public static CreationModel For(SafeFileHandle? root)
    {
        var umask = PosixFileSystem.FileCreationMask;
        try
        {
            if (root is null || (PosixFileSystem.FStat(root).Mode & SetGroupId) != 0 || PosixFileSystem.HasXattr(root, "system.posix_acl_default"))
            {
                umask = null;
            }
        }
        catch (IOException)
        {
            umask = null;
        }
        return new(umask, PosixFileSystem.EffectiveUserId, PosixFileSystem.EffectiveGroupId);
    }

    private const uint SetGroupId = 0x400;

    /// <summary>
    /// The status to go by for a regular file this restore has just created in <paramref name="parent"/> with
    /// <paramref name="createMode"/>: the model's, once it has been confirmed; the real one (read through
    /// <paramref name="handle"/>) the first time; null where the model does not apply (the caller reads it).
    /// </summary>
    public FileStatus? ForNewFile(PlannedDirectory parent, uint createMode, SafeFileHandle handle) =>
        Assume(ref _files, parent, FileStatus.TypeRegular | createMode, () => PosixFileSystem.FStat(handle));

    /// <summary>
    /// Like <see cref="ForNewFile"/>, for directory <paramref name="dir"/>, made by this restore with
    /// <paramref name="createMode"/>; <paramref name="read"/> gives its real status (null when it cannot be read).
    /// </summary>
    public FileStatus? ForNewDirectory(PlannedDirectory dir, uint createMode, Func<FileStatus?> read) =>
        dir.Made ? Assume(ref _directories, dir.ParentDirectory!, FileStatus.TypeDirectory | createMode, read) : null;

    private FileStatus? Assume(ref int trust, PlannedDirectory parent, uint createMode, Func<FileStatus?> read)
    {
        if (_umask is not { } umask || !MadeFromRoot(parent))
        {
            return null;
        }
        var assumed = new FileStatus(createMode & ~umask, _uid, _gid, 0, 0, 0, 1, 0, default(GoTime), default, default);
        switch (Volatile.Read(ref trust))
        {
            case Holds:
                return assumed;
            case Fails:
                return null;
        }
        FileStatus? real;
        try
        {
            real = read();
        }
        catch (IOException)
        {
            real = null;
        }
        if (real is { } status)
        {
            if (status.Mode == assumed.Mode && status.Uid == assumed.Uid && status.Gid == assumed.Gid)
            {
                Interlocked.CompareExchange(ref trust, Holds, Unchecked);
            }
            else
            {
                Volatile.Write(ref trust, Fails);
            }
        }
        return real;
    }

    private static bool MadeFromRoot(PlannedDirectory dir)
    {
        for (; dir.ParentDirectory is not null; dir = dir.ParentDirectory)
        {
            if (!dir.Made)
            {
                return false;
            }
        }
        return true;
    }
}
