namespace Coffer.Core.Interop;

/// <summary>The Linux <c>errno</c> values callers compare <see cref="PosixException.Errno"/> with (the same on x86-64 and arm64).</summary>
public static class PosixErrors
{
    /// <summary><c>EPERM</c>: operation not permitted.</summary>
    public const int NotPermitted = 1;
    /// <summary><c>ENOENT</c>: no such file or directory.</summary>
    public const int NoEntry = 2;
    /// <summary><c>ESRCH</c>: no such process.</summary>
    public const int NoSuchProcess = 3;
    /// <summary><c>EINTR</c>: interrupted system call.</summary>
    public const int Interrupted = 4;
    /// <summary><c>EAGAIN</c>: resource temporarily unavailable.</summary>
    public const int TryAgain = 11;
    /// <summary><c>EACCES</c>: permission denied.</summary>
    public const int AccessDenied = 13;
    /// <summary><c>EEXIST</c>: file exists.</summary>
    public const int Exists = 17;
    /// <summary><c>ENOTDIR</c>: not a directory.</summary>
    public const int NotDirectory = 20;
    /// <summary><c>EISDIR</c>: is a directory.</summary>
    public const int IsDirectory = 21;
    /// <summary><c>EINVAL</c>: invalid argument.</summary>
    public const int InvalidArgument = 22;
    /// <summary><c>ENOSPC</c>: no space left on device.</summary>
    public const int NoSpace = 28;
    /// <summary><c>ERANGE</c>: result too large for the buffer.</summary>
    public const int Range = 34;
    /// <summary><c>ENOTEMPTY</c>: directory not empty.</summary>
    public const int NotEmpty = 39;
    /// <summary><c>ELOOP</c>: too many levels of symbolic links (also: <c>O_NOFOLLOW</c> met a symlink).</summary>
    public const int Loop = 40;
    /// <summary><c>ENODATA</c>: no such extended attribute.</summary>
    public const int NoData = 61;
    /// <summary><c>ENOTSUP</c> / <c>EOPNOTSUPP</c>: operation not supported (e.g. no xattrs on this file system).</summary>
    public const int NotSupported = 95;
}
