using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Coffer.Core.Interop;

/// <summary>
/// File system calls with raw byte paths, as the archiver and the restorer need them (Linux, x86-64 and arm64).
/// Paths are <see cref="ReadOnlySpan{T}"/> of bytes, passed to the kernel unchanged; the <see cref="string"/>
/// overloads encode UTF-8. Nothing here follows a symlink unless it says so. Every failure throws
/// <see cref="PosixException"/> naming the call, the path and the <c>errno</c>. All members are thread-safe.
/// This part reads; <c>PosixFileSystem.Write.cs</c> creates and changes.
/// </summary>
public static unsafe partial class PosixFileSystem
{
    private const int XattrStartSize = 256;

    /// <summary><c>lstat</c>: the status of <paramref name="path"/> itself (a symlink is not followed).</summary>
    public static FileStatus LStat(ReadOnlySpan<byte> path) =>
        TryLStat(path, out var status, out _) ? status : throw PosixException.FromLastError("lstat", path);

    /// <inheritdoc cref="LStat(ReadOnlySpan{byte})"/>
    public static FileStatus LStat(string path) => LStat(PosixPath.FromString(path));

    /// <summary><c>lstat</c> without throwing: false and the <c>errno</c> when it fails.</summary>
    public static bool TryLStat(ReadOnlySpan<byte> path, out FileStatus status, out int errno) =>
        TryStatAt(Libc.AtFdCwd, path, Libc.AtSymlinkNoFollow, out status, out errno);

    /// <inheritdoc cref="TryLStat(ReadOnlySpan{byte}, out FileStatus, out int)"/>
    public static bool TryLStat(string path, out FileStatus status, out int errno) => TryLStat(PosixPath.FromString(path), out status, out errno);

    /// <summary>
    /// <c>fstatat(dir, name, AT_SYMLINK_NOFOLLOW)</c>: the status of <paramref name="name"/> inside an open
    /// directory, for traversal that cannot be redirected by a symlink swapped into the path.
    /// </summary>
    public static FileStatus LStatAt(SafeFileHandle directory, ReadOnlySpan<byte> name)
    {
        var added = false;
        directory.DangerousAddRef(ref added);
        try
        {
            var fd = (int)directory.DangerousGetHandle();
            return TryStatAt(fd, name, Libc.AtSymlinkNoFollow, out var status, out _) ? status : throw PosixException.FromLastError("lstat", name);
        }
        finally
        {
            if (added)
            {
                directory.DangerousRelease();
            }
        }
    }

    /// <summary><c>fstat</c>: the status of an open file (e.g. to check that it is still what <c>lstat</c> saw).</summary>
    public static FileStatus FStat(SafeFileHandle handle)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return TryStatAt((int)handle.DangerousGetHandle(), ReadOnlySpan<byte>.Empty, Libc.AtEmptyPath | Libc.AtSymlinkNoFollow, out var status, out _)
                ? status
                : throw new PosixException("fstat", null, Marshal.GetLastPInvokeError());
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// The names in a directory, raw bytes, without <c>.</c> and <c>..</c>, in the order the file system returns
    /// them (<b>not sorted</b>: restic sorts tree nodes by these bytes, the caller does that). The last component of
    /// <paramref name="path"/> must be a directory, not a symlink to one (<c>O_NOFOLLOW</c>; Linux then fails with ENOTDIR).
    /// The whole listing is read before returning.
    /// </summary>
    public static IReadOnlyList<byte[]> ListDirectory(ReadOnlySpan<byte> path) =>
        ReadDirectory(OpenAt(Libc.AtFdCwd, path, Libc.ORdOnly | Libc.ODirectory | Libc.ONoFollow | Libc.OCloExec, 0, "opendir"), path);

    /// <inheritdoc cref="ListDirectory(ReadOnlySpan{byte})"/>
    public static IReadOnlyList<byte[]> ListDirectory(string path) => ListDirectory(PosixPath.FromString(path));

    /// <summary>The names in an open directory (see <see cref="ListDirectory(ReadOnlySpan{byte})"/>); the handle stays open and usable.</summary>
    public static IReadOnlyList<byte[]> ListDirectory(SafeFileHandle directory)
    {
        var added = false;
        directory.DangerousAddRef(ref added);
        try
        {
            // fdopendir takes over its descriptor, so it gets a fresh one for the same directory.
            var fd = OpenAt((int)directory.DangerousGetHandle(), "."u8, Libc.ORdOnly | Libc.ODirectory | Libc.OCloExec, 0, "opendir");
            return ReadDirectory(fd, "."u8);
        }
        finally
        {
            if (added)
            {
                directory.DangerousRelease();
            }
        }
    }

    /// <summary>Opens a directory (not through a final symlink: ENOTDIR) as a handle for the <c>…At</c> calls.</summary>
    public static SafeFileHandle OpenDirectory(ReadOnlySpan<byte> path) =>
        new(OpenAt(Libc.AtFdCwd, path, Libc.ORdOnly | Libc.ODirectory | Libc.ONoFollow | Libc.OCloExec, 0, "open"), ownsHandle: true);

    /// <inheritdoc cref="OpenDirectory(ReadOnlySpan{byte})"/>
    public static SafeFileHandle OpenDirectory(string path) => OpenDirectory(PosixPath.FromString(path));

    /// <summary>Opens the directory <paramref name="name"/> inside an open directory, never through a symlink.</summary>
    public static SafeFileHandle OpenDirectoryAt(SafeFileHandle directory, ReadOnlySpan<byte> name) =>
        new(WithFd(directory, name, static (fd, n) => OpenAt(fd, n, Libc.ORdOnly | Libc.ODirectory | Libc.ONoFollow | Libc.OCloExec, 0, "open")), ownsHandle: true);

    /// <summary>
    /// <c>readlink</c>: the raw bytes of a symlink's target (not necessarily UTF-8; restic stores those as
    /// <c>linktarget_raw</c>).
    /// </summary>
    public static byte[] ReadLink(ReadOnlySpan<byte> path)
    {
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* p = PosixPath.Terminate(path, stack))
        {
            for (var size = 256; ; size *= 2)
            {
                var buffer = new byte[size];
                nint n;
                fixed (byte* b = buffer)
                {
                    n = Libc.ReadLink(p, b, (nuint)size);
                }
                if (n < 0)
                {
                    throw PosixException.FromLastError("readlink", path);
                }
                if (n < size)
                {
                    return buffer.AsSpan(0, (int)n).ToArray();
                }
            }
        }
    }

    /// <inheritdoc cref="ReadLink(ReadOnlySpan{byte})"/>
    public static byte[] ReadLink(string path) => ReadLink(PosixPath.FromString(path));

    /// <summary>
    /// The extended attributes of <paramref name="path"/> itself (<c>llistxattr</c>, <c>lgetxattr</c>: a symlink
    /// is not followed), names in the order the file system lists them. A file system without xattrs
    /// (<c>ENOTSUP</c>) gives an empty list; an attribute removed between listing and reading is left out.
    /// </summary>
    public static IReadOnlyList<(string Name, byte[] Value)> ListXattrs(ReadOnlySpan<byte> path)
    {
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* p = PosixPath.Terminate(path, stack))
        {
            var list = ReadSized(p, null, "llistxattr", path, static (path, _, buffer, size) => Libc.LListXattr(path, buffer, size));
            if (list is null || list.Length == 0)
            {
                return [];
            }
            var result = new List<(string, byte[])>();
            var names = list.AsSpan();
            while (!names.IsEmpty)
            {
                var end = names.IndexOf((byte)0);
                var name = end < 0 ? names : names[..end];
                names = end < 0 ? default : names[(end + 1)..];
                if (name.IsEmpty)
                {
                    continue;
                }
                var terminated = new byte[name.Length + 1];
                name.CopyTo(terminated);
                fixed (byte* n = terminated)
                {
                    var value = ReadSized(p, n, "lgetxattr", path, static (path, name, buffer, size) => Libc.LGetXattr(path, name, buffer, size));
                    if (value is not null)
                    {
                        result.Add((Encoding.UTF8.GetString(name), value));
                    }
                }
            }
            return result;
        }
    }

    /// <inheritdoc cref="ListXattrs(ReadOnlySpan{byte})"/>
    public static IReadOnlyList<(string Name, byte[] Value)> ListXattrs(string path) => ListXattrs(PosixPath.FromString(path));

    /// <summary>
    /// Opens a file for reading without following a final symlink (ELOOP) and without ever blocking: the open uses
    /// <c>O_NONBLOCK</c> (so a fifo without a writer does not hang), which is then cleared so reads behave normally.
    /// Also <c>O_CLOEXEC</c>, <c>O_NOCTTY</c>, and <c>O_NOATIME</c> when allowed (it needs ownership; retried
    /// without on EPERM). Any file type opens; check <see cref="FStat"/> before reading. The caller disposes the handle.
    /// </summary>
    public static SafeFileHandle OpenRead(ReadOnlySpan<byte> path) => new(OpenForReading(Libc.AtFdCwd, path), ownsHandle: true);

    /// <inheritdoc cref="OpenRead(ReadOnlySpan{byte})"/>
    public static SafeFileHandle OpenRead(string path) => OpenRead(PosixPath.FromString(path));

    /// <summary><see cref="OpenRead(ReadOnlySpan{byte})"/> of <paramref name="name"/> inside an open directory.</summary>
    public static SafeFileHandle OpenReadAt(SafeFileHandle directory, ReadOnlySpan<byte> name) =>
        new(WithFd(directory, name, static (fd, n) => OpenForReading(fd, n)), ownsHandle: true);

    /// <summary>Hints that the file will be read sequentially (<c>POSIX_FADV_SEQUENTIAL</c>). Best effort: false when refused.</summary>
    public static bool AdviseSequential(SafeFileHandle handle) => Advise(handle, 0, 0, Libc.FadvSequential);

    /// <summary>Hints that a range (length 0: to the end) will not be needed again (<c>POSIX_FADV_DONTNEED</c>). Best effort.</summary>
    public static bool AdviseDontNeed(SafeFileHandle handle, long offset, long length) => Advise(handle, offset, length, Libc.FadvDontNeed);

    private static bool Advise(SafeFileHandle handle, long offset, long length, int advice)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return Libc.PosixFadvise((int)handle.DangerousGetHandle(), offset, length, advice) == 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static bool TryStatAt(int dirFd, ReadOnlySpan<byte> path, int flags, out FileStatus status, out int errno)
    {
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        Span<byte> statx = stackalloc byte[StatxLayout.Size];
        fixed (byte* p = PosixPath.Terminate(path, stack))
        fixed (byte* s = statx)
        {
            if (Libc.Statx(dirFd, p, flags, Libc.StatxBasicStats, s) != 0)
            {
                errno = Marshal.GetLastPInvokeError();
                status = default;
                return false;
            }
        }
        errno = 0;
        status = FileStatus.FromStatx(statx);
        return true;
    }

    private static int OpenAt(int dirFd, ReadOnlySpan<byte> path, int flags, uint mode, string operation)
    {
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        int fd;
        fixed (byte* p = PosixPath.Terminate(path, stack))
        {
            do
            {
                fd = Libc.OpenAt(dirFd, p, flags, mode);
            }
            while (fd < 0 && Marshal.GetLastPInvokeError() == PosixErrors.Interrupted);
        }
        return fd >= 0 ? fd : throw PosixException.FromLastError(operation, path);
    }

    private static List<byte[]> ReadDirectory(int fd, ReadOnlySpan<byte> path)
    {
        var dir = Libc.FdOpenDir(fd);
        if (dir == IntPtr.Zero)
        {
            var errno = Marshal.GetLastPInvokeError();
            Libc.Close(fd);
            throw new PosixException("fdopendir", PosixPath.ToDisplayString(path), errno);
        }
        try
        {
            var names = new List<byte[]>();
            while (true)
            {
                var entry = Libc.ReadDir64(dir);
                if (entry is null)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    return errno == 0 ? names : throw new PosixException("readdir", PosixPath.ToDisplayString(path), errno);
                }
                var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(entry + Dirent64Layout.Name);
                if (!name.SequenceEqual("."u8) && !name.SequenceEqual(".."u8))
                {
                    names.Add(name.ToArray());
                }
            }
        }
        finally
        {
            Libc.CloseDir(dir);
        }
    }

    private delegate int FdCall(int fd, ReadOnlySpan<byte> name);

    private static int WithFd(SafeFileHandle directory, ReadOnlySpan<byte> name, FdCall call)
    {
        var added = false;
        directory.DangerousAddRef(ref added);
        try
        {
            return call((int)directory.DangerousGetHandle(), name);
        }
        finally
        {
            if (added)
            {
                directory.DangerousRelease();
            }
        }
    }

    private delegate nint SizedCall(byte* path, byte* name, byte* buffer, nuint size);

    /// <summary>
    /// The size-then-fill protocol of the xattr calls: ask for the size, allocate, fetch, retry on ERANGE (the value
    /// grew in between). Null for ENOTSUP and ENODATA.
    /// </summary>
    private static byte[]? ReadSized(byte* path, byte* name, string operation, ReadOnlySpan<byte> displayPath, SizedCall call)
    {
        var size = XattrStartSize;
        while (true)
        {
            var buffer = new byte[size];
            nint n;
            fixed (byte* b = buffer)
            {
                n = call(path, name, b, (nuint)buffer.Length);
            }
            if (n >= 0)
            {
                return buffer.AsSpan(0, (int)n).ToArray();
            }
            var errno = Marshal.GetLastPInvokeError();
            switch (errno)
            {
                case PosixErrors.NotSupported or PosixErrors.NoData:
                    return null;
                case PosixErrors.Range:
                    var needed = call(path, name, null, 0);
                    if (needed < 0)
                    {
                        var again = Marshal.GetLastPInvokeError();
                        return again is PosixErrors.NotSupported or PosixErrors.NoData ? null : throw new PosixException(operation, PosixPath.ToDisplayString(displayPath), again);
                    }
                    size = Math.Max((int)needed, size * 2);
                    break;
                default:
                    throw new PosixException(operation, PosixPath.ToDisplayString(displayPath), errno);
            }
        }
    }
}
