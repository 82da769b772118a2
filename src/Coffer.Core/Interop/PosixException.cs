using System.Runtime.InteropServices;

namespace Coffer.Core.Interop;

/// <summary>
/// A failed POSIX call on one path, with the <c>errno</c> value. The message reads like Go's
/// <c>*PathError</c>: <c>lstat /srv/data: No such file or directory</c>. The archiver catches it per file,
/// reports it and goes on.
/// </summary>
public sealed class PosixException : IOException
{
    /// <summary>Creates the exception; the message is built from the three parts and the system's text for <paramref name="errno"/>.</summary>
    public PosixException(string operation, string? path, int errno)
        : base(Format(operation, path, errno))
    {
        Operation = operation;
        Path = path;
        Errno = errno;
        HResult = errno;
    }

    /// <summary>The call that failed, as in C (<c>lstat</c>, <c>open</c>, <c>lsetxattr</c>, …).</summary>
    public string Operation { get; }

    /// <summary>The path it was called on, for display (invalid UTF-8 shown as U+FFFD), or null.</summary>
    public string? Path { get; }

    /// <summary>The Linux error number (see <see cref="PosixErrors"/>).</summary>
    public int Errno { get; }

    /// <summary>Builds the exception for the error number the last P/Invoke call left behind.</summary>
    internal static PosixException FromLastError(string operation, ReadOnlySpan<byte> path) =>
        new(operation, PosixPath.ToDisplayString(path), Marshal.GetLastPInvokeError());

    private static string Format(string operation, string? path, int errno)
    {
        var text = Marshal.GetPInvokeErrorMessage(errno);
        return path is null ? $"{operation}: {text}" : $"{operation} {path}: {text}";
    }
}
