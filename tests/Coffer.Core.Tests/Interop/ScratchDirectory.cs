using Coffer.Core.Interop;

namespace Coffer.Core.Tests.Interop;

/// <summary>
/// A fresh folder under the temp folder, removed on dispose through <see cref="PosixFileSystem"/> itself, because
/// the BCL cannot delete entries whose names are not valid UTF-8.
/// </summary>
internal sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory()
    {
        PathText = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "coffer-posix-" + Guid.NewGuid().ToString("N"));
        Path = PosixPath.FromString(PathText);
        PosixFileSystem.MakeDirectory(Path, 0x1C0); // 0700
    }

    /// <summary>The folder, as bytes.</summary>
    public byte[] Path { get; }

    /// <summary>The folder, as text.</summary>
    public string PathText { get; }

    /// <summary>A path inside the folder.</summary>
    public byte[] Combine(ReadOnlySpan<byte> name) => PosixPath.Join(Path, name);

    /// <summary>A path inside the folder.</summary>
    public byte[] Combine(string name) => PosixPath.Join(Path, PosixPath.FromString(name));

    public void Dispose()
    {
        try
        {
            Remove(Path);
        }
        catch (PosixException)
        {
        }
    }

    private static void Remove(byte[] path)
    {
        if (!PosixFileSystem.LStat(path).IsDirectory)
        {
            PosixFileSystem.Unlink(path);
            return;
        }
        PosixFileSystem.Chmod(path, 0x1C0);
        foreach (var name in PosixFileSystem.ListDirectory(path))
        {
            Remove(PosixPath.Join(path, name));
        }
        PosixFileSystem.RemoveDirectory(path);
    }
}
