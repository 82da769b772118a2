namespace Coffer.Core.Restorer;

/// <summary>The kinds of non-directory entries restore creates.</summary>
internal enum EntryKind
{
    /// <summary>A regular file with content.</summary>
    File,

    /// <summary>A symbolic link.</summary>
    Symlink,

    /// <summary>A named pipe.</summary>
    Fifo,

    /// <summary>A character or block device.</summary>
    Device,

    /// <summary>A second name of a file restored earlier in the same run.</summary>
    HardLink,
}
