namespace Coffer.Core.Archiver;

/// <summary>
/// Decides what a backup leaves out: called with the absolute path, whether it is a directory and its
/// size. Thread-safe. Built by the caller from patterns and rules (see Filters).
/// </summary>
public sealed class BackupFilter(Func<string, bool, long, bool> excludes)
{
    /// <summary>Leaves nothing out.</summary>
    public static BackupFilter None { get; } = new((_, _, _) => false);

    /// <summary>True when the entry is to be left out.</summary>
    public bool Excludes(string path, bool isDirectory, long size) => excludes(path, isDirectory, size);
}
