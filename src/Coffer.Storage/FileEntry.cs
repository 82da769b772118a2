namespace Coffer.Storage;

/// <summary>One listed file: its name (without folder) and size in bytes.</summary>
public readonly record struct FileEntry(string Name, long Size);
