using System.Runtime.InteropServices;

namespace Coffer.Core.Interop;

/// <summary>
/// The glibc entry points the archiver and the restorer need beyond the BCL: <c>statx</c>, directory
/// reading with raw names, links, extended attributes, ownership, nanosecond times and special files.
/// Every path is a NUL-terminated byte string; every call sets <c>errno</c> (read it with
/// <see cref="Marshal.GetLastPInvokeError"/>) except those documented to return the error number.
/// The constants are those of Linux on x86-64 and arm64 (the only two that differ are in
/// <see cref="ONoFollow"/> and <see cref="ODirectory"/>); struct layouts are read by offset from
/// <see cref="StatxLayout"/> and <see cref="Dirent64Layout"/>, which are the same on both.
/// </summary>
/// <remarks>
/// "libc" is mapped by the runtime to <c>libc.so.6</c> on Linux. Requires glibc 2.33 or newer
/// (<c>statx</c> since 2.28, <c>mknod</c> as a real symbol since 2.33).
/// </remarks>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    /// <summary><c>AT_FDCWD</c>: a path relative to the working directory.</summary>
    internal const int AtFdCwd = -100;
    /// <summary><c>AT_SYMLINK_NOFOLLOW</c>: act on a symlink itself.</summary>
    internal const int AtSymlinkNoFollow = 0x100;
    /// <summary><c>AT_REMOVEDIR</c> for <see cref="UnlinkAt"/>.</summary>
    internal const int AtRemoveDir = 0x200;
    /// <summary><c>AT_EMPTY_PATH</c>: operate on the descriptor itself.</summary>
    internal const int AtEmptyPath = 0x1000;
    /// <summary><c>STATX_BASIC_STATS</c>: every field of a classic <c>struct stat</c>.</summary>
    internal const uint StatxBasicStats = 0x7FF;

    /// <summary><c>O_RDONLY</c>.</summary>
    internal const int ORdOnly = 0;
    /// <summary><c>O_WRONLY</c>.</summary>
    internal const int OWrOnly = 1;
    /// <summary><c>O_CREAT</c>.</summary>
    internal const int OCreat = 0x40;
    /// <summary><c>O_EXCL</c>.</summary>
    internal const int OExcl = 0x80;
    /// <summary><c>O_NOCTTY</c>.</summary>
    internal const int ONoCtty = 0x100;
    /// <summary><c>O_TRUNC</c>.</summary>
    internal const int OTrunc = 0x200;
    /// <summary><c>O_NONBLOCK</c>.</summary>
    internal const int ONonBlock = 0x800;
    /// <summary><c>O_NOATIME</c>.</summary>
    internal const int ONoAtime = 0x40000;
    /// <summary><c>O_CLOEXEC</c>.</summary>
    internal const int OCloExec = 0x80000;

    /// <summary><c>F_GETFL</c>.</summary>
    internal const int FGetFl = 3;
    /// <summary><c>F_SETFL</c>.</summary>
    internal const int FSetFl = 4;

    /// <summary><c>POSIX_FADV_SEQUENTIAL</c>.</summary>
    internal const int FadvSequential = 2;
    /// <summary><c>POSIX_FADV_DONTNEED</c>.</summary>
    internal const int FadvDontNeed = 4;

    /// <summary><c>O_NOFOLLOW</c>: 0400000 on x86-64 (and the generic table), 0100000 on arm64.</summary>
    internal static int ONoFollow => ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;

    /// <summary><c>O_DIRECTORY</c>: 0200000 on x86-64 (and the generic table), 040000 on arm64.</summary>
    internal static int ODirectory => ProcessArchitecture == Architecture.Arm64 ? 0x4000 : 0x10000;

    /// <summary>The process architecture, after checking that this is Linux on x86-64 or arm64.</summary>
    private static Architecture ProcessArchitecture
    {
        get
        {
            var arch = RuntimeInformation.ProcessArchitecture;
            if (!OperatingSystem.IsLinux() || (arch != Architecture.X64 && arch != Architecture.Arm64))
            {
                throw new PlatformNotSupportedException("the POSIX file system layer supports Linux on x86-64 and arm64 only");
            }
            return arch;
        }
    }

    [LibraryImport(Library, EntryPoint = "statx", SetLastError = true)]
    internal static partial int Statx(int dirFd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true)]
    internal static partial int Open(byte* path, int flags, uint mode);

    [LibraryImport(Library, EntryPoint = "openat", SetLastError = true)]
    internal static partial int OpenAt(int dirFd, byte* path, int flags, uint mode);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    /// <summary><c>RLIMIT_NOFILE</c>: the number of file descriptors a process may have open.</summary>
    internal const int RLimitNoFile = 7;

    /// <summary><c>getrlimit</c> into <paramref name="limits"/>: the soft limit, then the hard limit.</summary>
    [LibraryImport(Library, EntryPoint = "getrlimit", SetLastError = true)]
    internal static partial int GetRLimit(int resource, nuint* limits);

    /// <summary><c>int fcntl(int fd, int cmd, int arg)</c> (variadic in C; an int argument passes the same way).</summary>
    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Library, EntryPoint = "fdopendir", SetLastError = true)]
    internal static partial IntPtr FdOpenDir(int fd);

    [LibraryImport(Library, EntryPoint = "opendir", SetLastError = true)]
    internal static partial IntPtr OpenDir(byte* path);

    /// <summary>Next entry or null; at the end <c>errno</c> stays 0 (the generated stub clears it before the call).</summary>
    [LibraryImport(Library, EntryPoint = "readdir64", SetLastError = true)]
    internal static partial byte* ReadDir64(IntPtr directory);

    [LibraryImport(Library, EntryPoint = "closedir", SetLastError = true)]
    internal static partial int CloseDir(IntPtr directory);

    [LibraryImport(Library, EntryPoint = "readlink", SetLastError = true)]
    internal static partial nint ReadLink(byte* path, byte* buffer, nuint size);

    [LibraryImport(Library, EntryPoint = "llistxattr", SetLastError = true)]
    internal static partial nint LListXattr(byte* path, byte* list, nuint size);

    [LibraryImport(Library, EntryPoint = "lgetxattr", SetLastError = true)]
    internal static partial nint LGetXattr(byte* path, byte* name, byte* value, nuint size);

    [LibraryImport(Library, EntryPoint = "lsetxattr", SetLastError = true)]
    internal static partial int LSetXattr(byte* path, byte* name, byte* value, nuint size, int flags);

    /// <summary>Returns 0 or an error number (not through <c>errno</c>); <paramref name="result"/> is null when there is no entry.</summary>
    [LibraryImport(Library, EntryPoint = "getpwuid_r")]
    internal static partial int GetPwUidR(uint uid, byte* passwd, byte* buffer, nuint bufferLength, byte** result);

    /// <summary>Returns 0 or an error number (not through <c>errno</c>); <paramref name="result"/> is null when there is no entry.</summary>
    [LibraryImport(Library, EntryPoint = "getgrgid_r")]
    internal static partial int GetGrGidR(uint gid, byte* group, byte* buffer, nuint bufferLength, byte** result);

    [LibraryImport(Library, EntryPoint = "lchown", SetLastError = true)]
    internal static partial int LChown(byte* path, uint uid, uint gid);

    [LibraryImport(Library, EntryPoint = "fchownat", SetLastError = true)]
    internal static partial int FChownAt(int dirFd, byte* path, uint uid, uint gid, int flags);

    /// <summary><paramref name="times"/> points at two <c>struct timespec</c> (access, modification), 16 bytes each on 64-bit.</summary>
    [LibraryImport(Library, EntryPoint = "utimensat", SetLastError = true)]
    internal static partial int UtimensAt(int dirFd, byte* path, long* times, int flags);

    [LibraryImport(Library, EntryPoint = "mknod", SetLastError = true)]
    internal static partial int MkNod(byte* path, uint mode, ulong device);

    [LibraryImport(Library, EntryPoint = "mkfifo", SetLastError = true)]
    internal static partial int MkFifo(byte* path, uint mode);

    [LibraryImport(Library, EntryPoint = "symlink", SetLastError = true)]
    internal static partial int Symlink(byte* target, byte* path);

    [LibraryImport(Library, EntryPoint = "link", SetLastError = true)]
    internal static partial int Link(byte* existing, byte* path);

    [LibraryImport(Library, EntryPoint = "chmod", SetLastError = true)]
    internal static partial int Chmod(byte* path, uint mode);

    [LibraryImport(Library, EntryPoint = "fchmod", SetLastError = true)]
    internal static partial int FChmod(int fd, uint mode);

    [LibraryImport(Library, EntryPoint = "fchmodat", SetLastError = true)]
    internal static partial int FChmodAt(int dirFd, byte* path, uint mode, int flags);

    [LibraryImport(Library, EntryPoint = "mkdirat", SetLastError = true)]
    internal static partial int MkdirAt(int dirFd, byte* path, uint mode);

    [LibraryImport(Library, EntryPoint = "unlinkat", SetLastError = true)]
    internal static partial int UnlinkAt(int dirFd, byte* path, int flags);

    [LibraryImport(Library, EntryPoint = "renameat", SetLastError = true)]
    internal static partial int RenameAt(int oldDirFd, byte* oldPath, int newDirFd, byte* newPath);

    /// <summary>Returns 0 or an error number (not through <c>errno</c>).</summary>
    [LibraryImport(Library, EntryPoint = "posix_fadvise")]
    internal static partial int PosixFadvise(int fd, long offset, long length, int advice);

    [LibraryImport(Library, EntryPoint = "fallocate", SetLastError = true)]
    internal static partial int Fallocate(int fd, int mode, long offset, long length);

    [LibraryImport(Library, EntryPoint = "mknodat", SetLastError = true)]
    internal static partial int MkNodAt(int dirFd, byte* path, uint mode, ulong device);

    [LibraryImport(Library, EntryPoint = "symlinkat", SetLastError = true)]
    internal static partial int SymlinkAt(byte* target, int dirFd, byte* path);

    [LibraryImport(Library, EntryPoint = "linkat", SetLastError = true)]
    internal static partial int LinkAt(int oldDirFd, byte* oldPath, int newDirFd, byte* newPath, int flags);

    [LibraryImport(Library, EntryPoint = "readlinkat", SetLastError = true)]
    internal static partial nint ReadLinkAt(int dirFd, byte* path, byte* buffer, nuint size);

    [LibraryImport(Library, EntryPoint = "fchown", SetLastError = true)]
    internal static partial int FChown(int fd, uint uid, uint gid);

    [LibraryImport(Library, EntryPoint = "futimens", SetLastError = true)]
    internal static partial int FUtimens(int fd, long* times);

    [LibraryImport(Library, EntryPoint = "fsetxattr", SetLastError = true)]
    internal static partial int FSetXattr(int fd, byte* name, byte* value, nuint size, int flags);

    [LibraryImport(Library, EntryPoint = "fgetxattr", SetLastError = true)]
    internal static partial nint FGetXattr(int fd, byte* name, byte* value, nuint size);

    [LibraryImport(Library, EntryPoint = "pwrite", SetLastError = true)]
    internal static partial nint PWrite(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Library, EntryPoint = "pread", SetLastError = true)]
    internal static partial nint PRead(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Library, EntryPoint = "ftruncate", SetLastError = true)]
    internal static partial int FTruncate(int fd, long length);

    [LibraryImport(Library, EntryPoint = "geteuid")]
    internal static partial uint GetEUid();

    [LibraryImport(Library, EntryPoint = "getegid")]
    internal static partial uint GetEGid();

    /// <summary>Returns 0 or an error number (not through <c>errno</c>); <paramref name="result"/> is null when there is no entry.</summary>
    [LibraryImport(Library, EntryPoint = "getpwnam_r")]
    internal static partial int GetPwNamR(byte* name, byte* passwd, byte* buffer, nuint bufferLength, byte** result);

    /// <summary>Returns 0 or an error number (not through <c>errno</c>); <paramref name="result"/> is null when there is no entry.</summary>
    [LibraryImport(Library, EntryPoint = "getgrnam_r")]
    internal static partial int GetGrNamR(byte* name, byte* group, byte* buffer, nuint bufferLength, byte** result);

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}
