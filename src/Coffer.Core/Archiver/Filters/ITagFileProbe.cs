namespace Coffer.Core.Archiver.Filters;

/// <summary>
/// The file-system access that <see cref="ExcludeIfPresent"/> needs, so the rule can be tested without disks.
/// Implementations must be thread-safe.
/// </summary>
public interface ITagFileProbe
{
    /// <summary>
    /// Whether an entry of any type exists at <paramref name="path"/>, without following a final symlink (lstat).
    /// Absence returns false; any other failure throws <see cref="IOException"/> or
    /// <see cref="UnauthorizedAccessException"/>.
    /// </summary>
    bool Exists(string path);

    /// <summary>
    /// Reads from the start of the file at <paramref name="path"/> until <paramref name="buffer"/> is full or the
    /// file ends, and returns the number of bytes read. Failures throw <see cref="IOException"/> or
    /// <see cref="UnauthorizedAccessException"/>.
    /// </summary>
    int ReadStart(string path, Span<byte> buffer);
}
