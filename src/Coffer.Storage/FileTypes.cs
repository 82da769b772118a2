namespace Coffer.Storage;

/// <summary>Folder names of the repository layout, shared by every backend.</summary>
public static class FileTypes
{
    /// <summary>All types that live in a folder (every type but <see cref="FileType.Config"/>).</summary>
    public static IReadOnlyList<FileType> Listable { get; } =
        [FileType.Key, FileType.Snapshot, FileType.Index, FileType.Pack, FileType.Lock];

    /// <summary>The folder of a type as restic names it: keys, snapshots, index, data, locks.</summary>
    public static string Folder(FileType type) => type switch
    {
        FileType.Config => "config",
        FileType.Key => "keys",
        FileType.Snapshot => "snapshots",
        FileType.Index => "index",
        FileType.Pack => "data",
        FileType.Lock => "locks",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>True for a name of exactly 64 lowercase hexadecimal digits.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length != 64)
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}
