namespace Coffer.Core.Archiver;

/// <summary>Progress that ignores everything.</summary>
public sealed class NullBackupProgress : IBackupProgress
{
    public static NullBackupProgress Instance { get; } = new();

    public void Scanned(long files, long dirs, long bytes, bool complete) { }
    public void FileStarted(string path) { }
    public void FileDone(string path, long bytes, FileChange change) { }
    public void BytesRead(long bytes) { }
    public void DirectoryDone(string path, FileChange change) { }
    public void Error(string path, string message) { }
}
