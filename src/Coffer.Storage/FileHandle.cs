namespace Coffer.Storage;

/// <summary>Names one file of a repository: its type and its name (64 hex digits; empty for the config).</summary>
public readonly record struct FileHandle(FileType Type, string Name)
{
    /// <summary>The handle of the repository's config file.</summary>
    public static FileHandle Config { get; } = new(FileType.Config, "");

    /// <inheritdoc />
    public override string ToString() => Type == FileType.Config ? "config" : $"{FileTypes.Folder(Type)}/{Name}";
}
