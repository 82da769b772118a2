namespace Coffer.Backends.Local;

/// <summary>
/// The permission bits new files and folders get. A repository is private to its owner (0600 files,
/// 0700 folders) unless its <c>config</c> is group-readable; then the group shares it (0660, 0770).
/// Saved files are made read-only afterwards, which removes every write bit. A class, so a cached
/// instance can be shared between threads without tearing.
/// </summary>
internal sealed record RepositoryModes(UnixFileMode File, UnixFileMode Folder)
{
    private const UnixFileMode UserReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupReadWrite = UnixFileMode.GroupRead | UnixFileMode.GroupWrite;
    private const UnixFileMode AllWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>0600 files, 0700 folders.</summary>
    public static RepositoryModes Private { get; } = new(
        UserReadWrite,
        UserReadWrite | UnixFileMode.UserExecute);

    /// <summary>0660 files, 0770 folders.</summary>
    public static RepositoryModes GroupShared { get; } = new(
        UserReadWrite | GroupReadWrite,
        UserReadWrite | UnixFileMode.UserExecute | GroupReadWrite | UnixFileMode.GroupExecute);

    /// <summary>The mode of a finished file: <see cref="File"/> without write bits (0400 or 0440).</summary>
    public UnixFileMode ReadOnlyFile => File & ~AllWrite;

    /// <summary>The modes implied by an existing config file's permission bits.</summary>
    public static RepositoryModes FromConfigMode(UnixFileMode configMode) =>
        (configMode & UnixFileMode.GroupRead) != 0 ? GroupShared : Private;
}
