namespace Coffer.Core.Archiver;

/// <summary>
/// Receives backup events. Implementations must be thread-safe and cheap: they are called from the
/// pipeline's workers. The CLI renders them (bar, plain lines or JSON).
/// </summary>
public interface IBackupProgress
{
    /// <summary>The scanner found more to do (totals grow until the scan ends).</summary>
    void Scanned(long files, long dirs, long bytes, bool complete);

    /// <summary>A file started being read.</summary>
    void FileStarted(string path);

    /// <summary>A file is done; <paramref name="bytes"/> is its size.</summary>
    void FileDone(string path, long bytes, FileChange change);

    /// <summary>Bytes of a file in progress were read.</summary>
    void BytesRead(long bytes);

    /// <summary>A directory's tree is saved.</summary>
    void DirectoryDone(string path, FileChange change);

    /// <summary>Something could not be read or changed while it was read. The backup goes on.</summary>
    void Error(string path, string message);
}
