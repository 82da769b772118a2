using System.Runtime.InteropServices;

namespace Coffer.Backends.Local.Interop;

/// <summary>
/// Makes a directory's entries durable (a rename into it survives a power loss), which .NET cannot do
/// because it refuses to open a directory as a file.
/// </summary>
internal static class DirectorySync
{
    /// <summary>
    /// Opens <paramref name="path"/> with <c>O_RDONLY|O_DIRECTORY</c> and fsyncs it. Does nothing on
    /// Windows (no directory handles to sync) and ignores file systems that do not support syncing a
    /// directory (EINVAL, ENOTSUP). Throws <see cref="IOException"/> with the errno as HResult otherwise.
    /// </summary>
    public static void Flush(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int fd;
        do
        {
            fd = LibC.Open(path, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR);

        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot open directory {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        try
        {
            if (LibC.Fsync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is not (LibC.EINVAL or LibC.ENOTSUP))
                {
                    throw new IOException($"cannot sync directory {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }
            }
        }
        finally
        {
            _ = LibC.Close(fd);
        }
    }
}
