namespace Coffer.Core.Model;

/// <summary>The kind of file system object a <see cref="Node"/> describes (JSON <c>type</c>).</summary>
public enum NodeType
{
    /// <summary>A <c>type</c> text this version does not know; <see cref="Node.UnknownTypeName"/> keeps it.</summary>
    Unknown = 0,
    /// <summary><c>file</c>: a regular file.</summary>
    File,
    /// <summary><c>dir</c>: a directory, with a subtree.</summary>
    Dir,
    /// <summary><c>symlink</c>: a symbolic link.</summary>
    Symlink,
    /// <summary><c>dev</c>: a block device.</summary>
    Dev,
    /// <summary><c>chardev</c>: a character device.</summary>
    CharDev,
    /// <summary><c>fifo</c>: a named pipe.</summary>
    Fifo,
    /// <summary><c>socket</c>: a Unix socket (restic's backup skips them).</summary>
    Socket,
    /// <summary><c>irregular</c>: anything else (restic 0.18 and later).</summary>
    Irregular,
}
