namespace Coffer.Core.Archiver.Filters;

/// <summary>What the archiver knows about an entry when it decides whether to exclude it.</summary>
/// <param name="Path">Absolute, slash-separated path of the entry.</param>
/// <param name="IsDirectory">Whether the entry is a directory (not following a symlink).</param>
/// <param name="Size">Size in bytes as reported by lstat (ignored for directories).</param>
public readonly record struct ExcludeCandidate(string Path, bool IsDirectory, long Size);
