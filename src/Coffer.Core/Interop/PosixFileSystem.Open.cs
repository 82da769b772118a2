using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Coffer.Core.Interop;

// Opening files for reading (split from PosixFileSystem.Read.cs to keep that file short).
public static unsafe partial class PosixFileSystem
{
    /// <summary>
    /// Opens a file to back it up and returns its fstat. Like <see cref="OpenRead(ReadOnlySpan{byte})"/>, but
    /// <c>O_NONBLOCK</c> stays set on regular files (where it changes nothing), saving two calls per file;
    /// for any other type it is cleared. The caller checks <paramref name="status"/> before reading.
    /// </summary>
    public static SafeFileHandle OpenForBackup(ReadOnlySpan<byte> path, out FileStatus status)
    {
        var handle = new SafeFileHandle(OpenForReading(Libc.AtFdCwd, path, clearNonBlock: false), ownsHandle: true);
        try
        {
            status = FStat(handle);
            if (!status.IsRegular)
            {
                var fd = (int)handle.DangerousGetHandle();
                var flags = Libc.Fcntl(fd, Libc.FGetFl, 0);
                if (flags < 0 || Libc.Fcntl(fd, Libc.FSetFl, flags & ~Libc.ONonBlock) < 0)
                {
                    throw new PosixException("fcntl", PosixPath.ToDisplayString(path), Marshal.GetLastPInvokeError());
                }
            }
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static int OpenForReading(int dirFd, ReadOnlySpan<byte> path, bool clearNonBlock = true)
    {
        const int Base = Libc.ORdOnly | Libc.OCloExec | Libc.ONoCtty | Libc.ONonBlock;
        int fd;
        Span<byte> stack = stackalloc byte[PosixPath.StackLimit];
        fixed (byte* p = PosixPath.Terminate(path, stack))
        {
            var flags = Base | Libc.ONoFollow;
            do
            {
                fd = Libc.OpenAt(dirFd, p, flags | Libc.ONoAtime, 0);
                if (fd < 0 && Marshal.GetLastPInvokeError() == PosixErrors.NotPermitted)
                {
                    fd = Libc.OpenAt(dirFd, p, flags, 0);
                }
            }
            while (fd < 0 && Marshal.GetLastPInvokeError() == PosixErrors.Interrupted);
        }
        if (fd < 0)
        {
            throw PosixException.FromLastError("open", path);
        }
        if (!clearNonBlock)
        {
            return fd;
        }
        var status = Libc.Fcntl(fd, Libc.FGetFl, 0);
        if (status < 0 || Libc.Fcntl(fd, Libc.FSetFl, status & ~Libc.ONonBlock) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            Libc.Close(fd);
            throw new PosixException("fcntl", PosixPath.ToDisplayString(path), errno);
        }
        return fd;
    }
}
