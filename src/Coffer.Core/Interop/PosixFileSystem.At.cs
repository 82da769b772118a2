using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Coffer.Core.Primitives;
using Microsoft.Win32.SafeHandles;

namespace Coffer.Core.Interop;

// Calls relative to an open directory (the *at family and calls on open descriptors), split from
// PosixFileSystem.Write.cs. Restore works through these: a name is one component inside a directory
// the caller holds open, so no symlink anywhere in a path can redirect a write.
public static unsafe partial class PosixFileSystem
{
    /// <summary>The effective user id of this process (<c>geteuid</c>).</summary>
    public static uint EffectiveUserId => Libc.GetEUid();

    /// <summary>The effective group id of this process (<c>getegid</c>).</summary>
    public static uint EffectiveGroupId => Libc.GetEGid();

    /// <summary>
    /// This process's file mode creation mask, from <c>/proc/self/status</c> (reading it through <c>umask(2)</c>
    /// would change it for a moment for every thread); null where that is not available.
    /// </summary>
    public static uint? FileCreationMask
    {
        get
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/self/status"))
                {
                    if (line.StartsWith("Umask:", StringComparison.Ordinal))
                    {
                        return Convert.ToUInt32(line[6..].Trim(), 8);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // Not Linux, or no /proc: unknown.
            }
            return null;
        }
    }

    /// <summary>
    /// Opens a directory named by a full path, following symlinks on the way (it is the caller's own path, such
    /// as a restore target), for the <c>…At</c> calls.
    /// </summary>
    public static SafeFileHandle OpenDirectoryFollowing(ReadOnlySpan<byte> path) =>
        new(OpenAt(Libc.AtFdCwd, path, Libc.ORdOnly | Libc.ODirectory | Libc.OCloExec, 0, "open"), ownsHandle: true);

    /// <summary><c>fstatat(dir, name, AT_SYMLINK_NOFOLLOW)</c> without throwing: false and the <c>errno</c> when it fails.</summary>
    public static bool TryLStatAt(SafeFileHandle directory, ReadOnlySpan<byte> name, out FileStatus status, out int errno)
    {
        using var lease = new FdLease(directory);
        return TryStatAt(lease.Fd, name, Libc.AtSymlinkNoFollow, out status, out errno);
    }

    /// <summary>
    /// Opens the directory <paramref name="name"/> inside <paramref name="directory"/> without throwing: null and the
    /// <c>errno</c> when it fails (ENOTDIR or ELOOP when something other than a real directory is there).
    /// </summary>
    public static SafeFileHandle? TryOpenDirectoryAt(SafeFileHandle directory, ReadOnlySpan<byte> name, out int errno)
    {
        using var lease = new FdLease(directory);
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        int fd;
        fixed (byte* p = PosixPath.Terminate(name, stack))
        {
            do
            {
                fd = Libc.OpenAt(lease.Fd, p, Libc.ORdOnly | Libc.ODirectory | Libc.ONoFollow | Libc.OCloExec, 0);
            }
            while (fd < 0 && Marshal.GetLastPInvokeError() == PosixErrors.Interrupted);
        }
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary><c>mkdirat</c>: creates the directory <paramref name="name"/> inside <paramref name="directory"/>.</summary>
    public static void MakeDirectoryAt(SafeFileHandle directory, ReadOnlySpan<byte> name, uint mode)
    {
        if (!TryMakeDirectoryAt(directory, name, mode, out var errno))
        {
            throw new PosixException("mkdir", PosixPath.ToDisplayString(name), errno);
        }
    }

    /// <summary>
    /// <c>mkdirat</c> without throwing: false with the errno (e.g. <see cref="PosixErrors.Exists"/> when something is
    /// already there) when the directory was not created.
    /// </summary>
    public static bool TryMakeDirectoryAt(SafeFileHandle directory, ReadOnlySpan<byte> name, uint mode, out int errno)
    {
        using var lease = new FdLease(directory);
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* p = PosixPath.Terminate(name, stack))
        {
            if (Libc.MkdirAt(lease.Fd, p, mode) == 0)
            {
                errno = 0;
                return true;
            }
            errno = Marshal.GetLastPInvokeError();
            return false;
        }
    }

    /// <summary>
    /// Opens <paramref name="name"/> inside <paramref name="directory"/> for writing: <c>O_WRONLY|O_NOFOLLOW|O_CLOEXEC</c>,
    /// created with <paramref name="mode"/> when <paramref name="create"/> (and then failing with EEXIST when something
    /// is there). Never truncates; a symlink in its place fails with ELOOP. The caller disposes the handle.
    /// </summary>
    public static SafeFileHandle OpenWriteAt(SafeFileHandle directory, ReadOnlySpan<byte> name, bool create, uint mode = 0x180)
    {
        using var lease = new FdLease(directory);
        var flags = Libc.OWrOnly | Libc.ONoFollow | Libc.OCloExec | Libc.ONoCtty | (create ? Libc.OCreat | Libc.OExcl : 0);
        return new SafeFileHandle(OpenAt(lease.Fd, name, flags, mode, "open"), ownsHandle: true);
    }

    /// <summary><c>unlinkat</c>: removes <paramref name="name"/> (a directory, which must be empty, with <paramref name="isDirectory"/>).</summary>
    public static void UnlinkAt(SafeFileHandle directory, ReadOnlySpan<byte> name, bool isDirectory)
    {
        using var lease = new FdLease(directory);
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* p = PosixPath.Terminate(name, stack))
        {
            Check(Libc.UnlinkAt(lease.Fd, p, isDirectory ? Libc.AtRemoveDir : 0), isDirectory ? "rmdir" : "unlink", name);
        }
    }

    /// <summary><c>symlinkat</c>: creates <paramref name="name"/> as a symlink whose target is exactly <paramref name="target"/>.</summary>
    public static void CreateSymlinkAt(ReadOnlySpan<byte> target, SafeFileHandle directory, ReadOnlySpan<byte> name)
    {
        using var lease = new FdLease(directory);
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        Span<byte> targetStack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* t = PosixPath.Terminate(target, targetStack))
        fixed (byte* p = PosixPath.Terminate(name, stack))
        {
            Check(Libc.SymlinkAt(t, lease.Fd, p), "symlink", name);
        }
    }

    /// <summary><c>linkat</c> without <c>AT_SYMLINK_FOLLOW</c>: a new hard link to <paramref name="existingName"/> (a symlink is linked itself).</summary>
    public static void CreateHardLinkAt(SafeFileHandle existingDirectory, ReadOnlySpan<byte> existingName, SafeFileHandle directory, ReadOnlySpan<byte> name)
    {
        using var from = new FdLease(existingDirectory);
        using var to = new FdLease(directory);
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        Span<byte> existingStack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* e = PosixPath.Terminate(existingName, existingStack))
        fixed (byte* p = PosixPath.Terminate(name, stack))
        {
            Check(Libc.LinkAt(from.Fd, e, to.Fd, p, 0), "link", name);
        }
    }

    /// <summary>
    /// <c>mknodat</c>: a fifo or device file. <paramref name="mode"/> is a raw <c>st_mode</c> with the type bits; devices
    /// need <c>CAP_MKNOD</c>.
    /// </summary>
    public static void MakeNodeAt(SafeFileHandle directory, ReadOnlySpan<byte> name, uint mode, ulong device)
    {
        using var lease = new FdLease(directory);
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* p = PosixPath.Terminate(name, stack))
        {
            Check(Libc.MkNodAt(lease.Fd, p, mode, device), "mknod", name);
        }
    }

    /// <summary><c>readlinkat</c>: the raw target bytes of the symlink <paramref name="name"/> inside <paramref name="directory"/>.</summary>
    public static byte[] ReadLinkAt(SafeFileHandle directory, ReadOnlySpan<byte> name)
    {
        using var lease = new FdLease(directory);
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* p = PosixPath.Terminate(name, stack))
        {
            for (var size = 256; ; size *= 2)
            {
                var buffer = new byte[size];
                nint n;
                fixed (byte* b = buffer)
                {
                    n = Libc.ReadLinkAt(lease.Fd, p, b, (nuint)size);
                }
                if (n < 0)
                {
                    throw PosixException.FromLastError("readlink", name);
                }
                if (n < size)
                {
                    return buffer.AsSpan(0, (int)n).ToArray();
                }
            }
        }
    }

    /// <summary><c>fchownat(…, AT_SYMLINK_NOFOLLOW)</c>: owner and group of <paramref name="name"/> itself.</summary>
    public static void ChownAt(SafeFileHandle directory, ReadOnlySpan<byte> name, uint uid, uint gid)
    {
        using var lease = new FdLease(directory);
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* p = PosixPath.Terminate(name, stack))
        {
            Check(Libc.FChownAt(lease.Fd, p, uid, gid, Libc.AtSymlinkNoFollow), "lchown", name);
        }
    }

    /// <summary><c>fchown</c>: owner and group of an open file.</summary>
    public static void Chown(SafeFileHandle handle, uint uid, uint gid)
    {
        using var lease = new FdLease(handle);
        if (Libc.FChown(lease.Fd, uid, gid) != 0)
        {
            throw new PosixException("fchown", null, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>
    /// <c>fchmodat</c>: mode bits of <paramref name="name"/>. <b>Follows</b> a final symlink (Linux cannot change a
    /// symlink's mode), so call it only on a fifo or device the caller just created in a directory it holds open.
    /// </summary>
    public static void ChmodAt(SafeFileHandle directory, ReadOnlySpan<byte> name, uint mode)
    {
        using var lease = new FdLease(directory);
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* p = PosixPath.Terminate(name, stack))
        {
            Check(Libc.FChmodAt(lease.Fd, p, mode & 0xFFF, 0), "chmod", name);
        }
    }

    /// <summary><c>utimensat(…, AT_SYMLINK_NOFOLLOW)</c>: access and modification time of <paramref name="name"/> itself.</summary>
    public static void SetTimesAt(SafeFileHandle directory, ReadOnlySpan<byte> name, GoTime accessTime, GoTime modificationTime)
    {
        using var lease = new FdLease(directory);
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        var times = stackalloc long[4] { accessTime.UnixSeconds, accessTime.Nanoseconds, modificationTime.UnixSeconds, modificationTime.Nanoseconds };
        fixed (byte* p = PosixPath.Terminate(name, stack))
        {
            Check(Libc.UtimensAt(lease.Fd, p, times, Libc.AtSymlinkNoFollow), "utimensat", name);
        }
    }

    /// <summary><c>futimens</c>: access and modification time of an open file or directory.</summary>
    public static void SetTimes(SafeFileHandle handle, GoTime accessTime, GoTime modificationTime)
    {
        using var lease = new FdLease(handle);
        var times = stackalloc long[4] { accessTime.UnixSeconds, accessTime.Nanoseconds, modificationTime.UnixSeconds, modificationTime.Nanoseconds };
        if (Libc.FUtimens(lease.Fd, times) != 0)
        {
            throw new PosixException("futimens", null, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary><c>fsetxattr</c>: sets an extended attribute on an open file or directory.</summary>
    public static void SetXattr(SafeFileHandle handle, string name, ReadOnlySpan<byte> value)
    {
        using var lease = new FdLease(handle);
        var terminatedName = PosixPath.Terminate(Encoding.UTF8.GetBytes(name), []);
        fixed (byte* n = terminatedName)
        fixed (byte* v = value)
        {
            if (Libc.FSetXattr(lease.Fd, n, v, (nuint)value.Length, 0) != 0)
            {
                throw new PosixException("fsetxattr", name, Marshal.GetLastPInvokeError());
            }
        }
    }

    /// <summary>
    /// Whether an open file or directory has the extended attribute <paramref name="name"/> (<c>fgetxattr</c> with no
    /// buffer); false also where the file system has no extended attributes. Throws <see cref="PosixException"/> on
    /// other failures.
    /// </summary>
    public static bool HasXattr(SafeFileHandle handle, string name)
    {
        using var lease = new FdLease(handle);
        var terminatedName = PosixPath.Terminate(Encoding.UTF8.GetBytes(name), []);
        fixed (byte* n = terminatedName)
        {
            if (Libc.FGetXattr(lease.Fd, n, null, 0) >= 0)
            {
                return true;
            }
            var errno = Marshal.GetLastPInvokeError();
            return errno is PosixErrors.NoData or PosixErrors.NotSupported ? false : throw new PosixException("fgetxattr", name, errno);
        }
    }

    /// <summary>
    /// <c>lsetxattr</c> on <paramref name="name"/> inside an open directory (through <c>/proc/self/fd</c>, so only the
    /// held directory is resolved and the final name is not followed). For entries that cannot be opened (symlinks,
    /// fifos, devices).
    /// </summary>
    public static void SetXattrAt(SafeFileHandle directory, ReadOnlySpan<byte> name, string attribute, ReadOnlySpan<byte> value)
    {
        using var lease = new FdLease(directory);
        var prefix = Encoding.ASCII.GetBytes("/proc/self/fd/" + lease.Fd.ToString(CultureInfo.InvariantCulture));
        SetXattr(PosixPath.Join(prefix, name), attribute, value);
    }

    /// <summary><c>ftruncate</c>: sets the length of an open file (a larger length leaves a hole).</summary>
    public static void SetLength(SafeFileHandle handle, long length)
    {
        using var lease = new FdLease(handle);
        int result;
        do
        {
            result = Libc.FTruncate(lease.Fd, length);
        }
        while (result != 0 && Marshal.GetLastPInvokeError() == PosixErrors.Interrupted);
        if (result != 0)
        {
            throw new PosixException("ftruncate", null, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary><c>pwrite</c> until all of <paramref name="data"/> is written at <paramref name="offset"/>.</summary>
    public static void WriteAt(SafeFileHandle handle, ReadOnlySpan<byte> data, long offset)
    {
        using var lease = new FdLease(handle);
        fixed (byte* p = data)
        {
            var done = 0;
            while (done < data.Length)
            {
                var n = Libc.PWrite(lease.Fd, p + done, (nuint)(data.Length - done), offset + done);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == PosixErrors.Interrupted)
                    {
                        continue;
                    }
                    throw new PosixException("pwrite", null, errno);
                }
                done += (int)n;
            }
        }
    }

    /// <summary><c>pread</c> until <paramref name="destination"/> is full or the file ends; returns the bytes read.</summary>
    public static int ReadAt(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        using var lease = new FdLease(handle);
        fixed (byte* p = destination)
        {
            var done = 0;
            while (done < destination.Length)
            {
                var n = Libc.PRead(lease.Fd, p + done, (nuint)(destination.Length - done), offset + done);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == PosixErrors.Interrupted)
                    {
                        continue;
                    }
                    throw new PosixException("pread", null, errno);
                }
                if (n == 0)
                {
                    break;
                }
                done += (int)n;
            }
            return done;
        }
    }

    /// <summary>Holds a reference on a handle while its descriptor is used, so a concurrent dispose cannot close it.</summary>
    private ref struct FdLease
    {
        private readonly SafeFileHandle _handle;
        private bool _added;

        public FdLease(SafeFileHandle handle)
        {
            _handle = handle;
            handle.DangerousAddRef(ref _added);
            Fd = (int)handle.DangerousGetHandle();
        }

        public int Fd { get; }

        public void Dispose()
        {
            if (_added)
            {
                _handle.DangerousRelease();
                _added = false;
            }
        }
    }
}
