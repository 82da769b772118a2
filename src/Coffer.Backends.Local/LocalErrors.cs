namespace Coffer.Backends.Local;

/// <summary>Turns the exceptions of file system calls into <see cref="Coffer.Storage.BackendException"/>.</summary>
internal static class LocalErrors
{
    // Linux errno values that .NET reports as an IOException's HResult.
    private const int EINTR = 4;
    private const int EAGAIN = 11;
    private const int ENOSPC = 28;
    private const int ETIMEDOUT = 110;
    private const int EDQUOT = 122;

    // Windows HRESULTs for a full disk.
    private const int ErrorHandleDiskFull = unchecked((int)0x80070027);
    private const int ErrorDiskFull = unchecked((int)0x80070070);

    /// <summary>
    /// Describes <paramref name="exception"/> as a failed <paramref name="action"/> (for example
    /// "save data/ab/ab12…"). A full disk gets the message "no space left on device"; only interrupted
    /// or timed-out calls (EINTR, EAGAIN, ETIMEDOUT, as network file systems report) are transient.
    /// </summary>
    public static Storage.BackendException Translate(Exception exception, string action)
    {
        switch (exception)
        {
            case Storage.BackendException backend:
                return backend;
            case UnauthorizedAccessException:
                return new Storage.BackendException($"{action}: permission denied ({exception.Message})", false, exception);
            case IOException io:
                var code = io.HResult;
                if (code is ENOSPC or ErrorDiskFull or ErrorHandleDiskFull)
                {
                    return new Storage.BackendException($"{action}: no space left on device", false, exception);
                }
                if (code == EDQUOT)
                {
                    return new Storage.BackendException($"{action}: disk quota exceeded", false, exception);
                }
                var transient = code is EINTR or EAGAIN or ETIMEDOUT;
                return new Storage.BackendException($"{action}: {exception.Message}", transient, exception);
            default:
                return new Storage.BackendException($"{action}: {exception.Message}", false, exception);
        }
    }

    /// <summary>True for the exceptions the file system throws (the ones <see cref="Translate"/> is for).</summary>
    public static bool IsFileSystemError(Exception exception) =>
        exception is IOException or UnauthorizedAccessException;
}
