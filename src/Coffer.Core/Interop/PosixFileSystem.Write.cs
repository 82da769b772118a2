using System.Runtime.InteropServices;
using System.Text;
using Coffer.Core.Primitives;
using Microsoft.Win32.SafeHandles;

namespace Coffer.Core.Interop;

/// <summary>The creating and changing half of <see cref="PosixFileSystem"/>, as restore needs it.</summary>
public static unsafe partial class PosixFileSystem
{
    /// <summary>
    /// Creates a regular file for writing (<c>O_WRONLY|O_CREAT|O_NOFOLLOW|O_CLOEXEC</c>) with permission bits
    /// <paramref name="mode"/> (less the umask). With <paramref name="exclusive"/> an existing entry fails with
    /// EEXIST; otherwise an existing regular file is truncated, but a symlink in its place is still refused (ELOOP).
    /// The caller disposes the handle.
    /// </summary>
    public static SafeFileHandle CreateFile(ReadOnlySpan<byte> path, uint mode, bool exclusive = true)
    {
        var flags = Libc.OWrOnly | Libc.OCreat | Libc.ONoFollow | Libc.OCloExec | Libc.ONoCtty | (exclusive ? Libc.OExcl : Libc.OTrunc);
        return new SafeFileHandle(OpenAt(Libc.AtFdCwd, path, flags, mode, "open"), ownsHandle: true);
    }

    /// <inheritdoc cref="CreateFile(ReadOnlySpan{byte}, uint, bool)"/>
    public static SafeFileHandle CreateFile(string path, uint mode, bool exclusive = true) => CreateFile(PosixPath.FromString(path), mode, exclusive);

    /// <summary><c>lsetxattr</c>: sets (creates or replaces) an extended attribute on <paramref name="path"/> itself.</summary>
    public static void SetXattr(ReadOnlySpan<byte> path, string name, ReadOnlySpan<byte> value)
    {
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        var terminatedName = PosixPath.Terminate(Encoding.UTF8.GetBytes(name), []);
        fixed (byte* p = PosixPath.Terminate(path, stack))
        fixed (byte* n = terminatedName)
        fixed (byte* v = value)
        {
            Check(Libc.LSetXattr(p, n, v, (nuint)value.Length, 0), "lsetxattr", path);
        }
    }

    /// <inheritdoc cref="SetXattr(ReadOnlySpan{byte}, string, ReadOnlySpan{byte})"/>
    public static void SetXattr(string path, string name, ReadOnlySpan<byte> value) => SetXattr(PosixPath.FromString(path), name, value);

    /// <summary><c>lchown</c>: sets owner and group of <paramref name="path"/> itself (a symlink is not followed).</summary>
    public static void Lchown(ReadOnlySpan<byte> path, uint uid, uint gid)
    {
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* p = PosixPath.Terminate(path, stack))
        {
            Check(Libc.LChown(p, uid, gid), "lchown", path);
        }
    }

    /// <inheritdoc cref="Lchown(ReadOnlySpan{byte}, uint, uint)"/>
    public static void Lchown(string path, uint uid, uint gid) => Lchown(PosixPath.FromString(path), uid, gid);

    /// <summary>
    /// <c>utimensat</c>: sets access and modification time with nanosecond precision (the offsets of the
    /// <see cref="GoTime"/> values do not matter). With <paramref name="noFollow"/> a symlink's own times are set.
    /// </summary>
    public static void SetTimes(ReadOnlySpan<byte> path, GoTime accessTime, GoTime modificationTime, bool noFollow)
    {
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        var times = stackalloc long[4] { accessTime.UnixSeconds, accessTime.Nanoseconds, modificationTime.UnixSeconds, modificationTime.Nanoseconds };
        fixed (byte* p = PosixPath.Terminate(path, stack))
        {
            Check(Libc.UtimensAt(Libc.AtFdCwd, p, times, noFollow ? Libc.AtSymlinkNoFollow : 0), "utimensat", path);
        }
    }

    /// <inheritdoc cref="SetTimes(ReadOnlySpan{byte}, GoTime, GoTime, bool)"/>
    public static void SetTimes(string path, GoTime accessTime, GoTime modificationTime, bool noFollow) =>
        SetTimes(PosixPath.FromString(path), accessTime, modificationTime, noFollow);

    /// <summary><c>mkfifo</c>: creates a named pipe with permission bits <paramref name="mode"/> (less the umask).</summary>
    public static void MakeFifo(ReadOnlySpan<byte> path, uint mode)
    {
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* p = PosixPath.Terminate(path, stack))
        {
            Check(Libc.MkFifo(p, mode), "mkfifo", path);
        }
    }

    /// <inheritdoc cref="MakeFifo(ReadOnlySpan{byte}, uint)"/>
    public static void MakeFifo(string path, uint mode) => MakeFifo(PosixPath.FromString(path), mode);

    /// <summary>
    /// <c>mknod</c>: creates a device file. <paramref name="mode"/> is a raw <c>st_mode</c> including the type
    /// (<see cref="FileStatus.TypeCharDevice"/> or <see cref="FileStatus.TypeBlockDevice"/>); <paramref name="device"/>
    /// is in the <see cref="DeviceNumber"/> encoding (restic's <c>device</c>). Needs <c>CAP_MKNOD</c>.
    /// </summary>
    public static void MakeDevice(ReadOnlySpan<byte> path, uint mode, ulong device)
    {
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* p = PosixPath.Terminate(path, stack))
        {
            Check(Libc.MkNod(p, mode, device), "mknod", path);
        }
    }

    /// <inheritdoc cref="MakeDevice(ReadOnlySpan{byte}, uint, ulong)"/>
    public static void MakeDevice(string path, uint mode, ulong device) => MakeDevice(PosixPath.FromString(path), mode, device);

    /// <summary><c>symlink</c>: creates <paramref name="path"/> as a symlink whose target is exactly the bytes <paramref name="target"/>.</summary>
    public static void CreateSymlink(ReadOnlySpan<byte> target, ReadOnlySpan<byte> path)
    {
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        Span<byte> targetStack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* t = PosixPath.Terminate(target, targetStack))
        fixed (byte* p = PosixPath.Terminate(path, stack))
        {
            Check(Libc.Symlink(t, p), "symlink", path);
        }
    }

    /// <inheritdoc cref="CreateSymlink(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>
    public static void CreateSymlink(string target, string path) => CreateSymlink(PosixPath.FromString(target), PosixPath.FromString(path));

    /// <summary><c>link</c>: makes <paramref name="path"/> a new hard link to <paramref name="existing"/> (a symlink is linked itself, not followed).</summary>
    public static void CreateHardLink(ReadOnlySpan<byte> existing, ReadOnlySpan<byte> path)
    {
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        Span<byte> existingStack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* e = PosixPath.Terminate(existing, existingStack))
        fixed (byte* p = PosixPath.Terminate(path, stack))
        {
            Check(Libc.Link(e, p), "link", path);
        }
    }

    /// <inheritdoc cref="CreateHardLink(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>
    public static void CreateHardLink(string existing, string path) => CreateHardLink(PosixPath.FromString(existing), PosixPath.FromString(path));

    /// <summary>
    /// <c>chmod</c>: sets permission, setuid, setgid and sticky bits (<c>mode &amp; 07777</c>). <b>Follows</b> a final
    /// symlink (Linux cannot change a symlink's mode), so call it only on what the caller just created.
    /// </summary>
    public static void Chmod(ReadOnlySpan<byte> path, uint mode)
    {
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* p = PosixPath.Terminate(path, stack))
        {
            Check(Libc.Chmod(p, mode & 0xFFF), "chmod", path);
        }
    }

    /// <inheritdoc cref="Chmod(ReadOnlySpan{byte}, uint)"/>
    public static void Chmod(string path, uint mode) => Chmod(PosixPath.FromString(path), mode);

    /// <summary><c>fchmod</c>: sets the mode bits of an open file.</summary>
    public static void Chmod(SafeFileHandle handle, uint mode)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (Libc.FChmod((int)handle.DangerousGetHandle(), mode & 0xFFF) != 0)
            {
                throw new PosixException("fchmod", null, Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary><c>mkdir</c>: creates one directory with permission bits <paramref name="mode"/> (less the umask).</summary>
    public static void MakeDirectory(ReadOnlySpan<byte> path, uint mode)
    {
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* p = PosixPath.Terminate(path, stack))
        {
            Check(Libc.MkdirAt(Libc.AtFdCwd, p, mode), "mkdir", path);
        }
    }

    /// <inheritdoc cref="MakeDirectory(ReadOnlySpan{byte}, uint)"/>
    public static void MakeDirectory(string path, uint mode) => MakeDirectory(PosixPath.FromString(path), mode);

    /// <summary><c>unlink</c>: removes a non-directory entry (a symlink itself, never its target).</summary>
    public static void Unlink(ReadOnlySpan<byte> path) => UnlinkAt(path, 0, "unlink");

    /// <inheritdoc cref="Unlink(ReadOnlySpan{byte})"/>
    public static void Unlink(string path) => Unlink(PosixPath.FromString(path));

    /// <summary><c>rmdir</c>: removes an empty directory.</summary>
    public static void RemoveDirectory(ReadOnlySpan<byte> path) => UnlinkAt(path, Libc.AtRemoveDir, "rmdir");

    /// <inheritdoc cref="RemoveDirectory(ReadOnlySpan{byte})"/>
    public static void RemoveDirectory(string path) => RemoveDirectory(PosixPath.FromString(path));

    /// <summary><c>rename</c>: moves <paramref name="from"/> to <paramref name="to"/>, atomically replacing a non-directory there.</summary>
    public static void Rename(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to)
    {
        Span<byte> fromStack = stackalloc byte[PosixPath.StackLimit];
        Span<byte> toStack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* f = PosixPath.Terminate(from, fromStack))
        fixed (byte* t = PosixPath.Terminate(to, toStack))
        {
            Check(Libc.RenameAt(Libc.AtFdCwd, f, Libc.AtFdCwd, t), "rename", from);
        }
    }

    /// <inheritdoc cref="Rename(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>
    public static void Rename(string from, string to) => Rename(PosixPath.FromString(from), PosixPath.FromString(to));

    /// <summary>
    /// <c>fallocate</c>: reserves <paramref name="length"/> bytes for an open file (so a restore fails early on a full
    /// disk, and the file is less fragmented). False when the file system cannot do it; other errors throw.
    /// </summary>
    public static bool Preallocate(SafeFileHandle handle, long length)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (Libc.Fallocate((int)handle.DangerousGetHandle(), 0, 0, length) == 0)
            {
                return true;
            }
            var errno = Marshal.GetLastPInvokeError();
            return errno == PosixErrors.NotSupported ? false : throw new PosixException("fallocate", null, errno);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static void UnlinkAt(ReadOnlySpan<byte> path, int flags, string operation)
    {
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* p = PosixPath.Terminate(path, stack))
        {
            Check(Libc.UnlinkAt(Libc.AtFdCwd, p, flags), operation, path);
        }
    }

    private static void Check(int result, string operation, ReadOnlySpan<byte> path)
    {
        if (result != 0)
        {
            throw PosixException.FromLastError(operation, path);
        }
    }
}
