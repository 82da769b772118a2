using System.Runtime.InteropServices;

namespace Coffer.Backends.Local.Interop;

/// <summary>The few libc calls .NET does not expose: opening and syncing a directory.</summary>
internal static partial class LibC
{
    /// <summary>Open for reading only.</summary>
    public const int O_RDONLY = 0;

    /// <summary>Close the descriptor on exec (the same value on x86-64 and arm64 Linux).</summary>
    public const int O_CLOEXEC = 0x80000;

    /// <summary>Interrupted system call.</summary>
    public const int EINTR = 4;

    /// <summary>Invalid argument (some file systems answer this to fsync on a directory).</summary>
    public const int EINVAL = 22;

    /// <summary>Operation not supported.</summary>
    public const int ENOTSUP = 95;

    /// <summary>
    /// Fail unless the path is a directory. Its value differs by architecture: arm and arm64 Linux use
    /// 0x4000, x86, x86-64 and most others use 0x10000.
    /// </summary>
    public static int O_DIRECTORY => RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64
        ? 0x4000
        : 0x10000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
