namespace Coffer.Core.Archiver.Filters;

/// <summary><see cref="ITagFileProbe"/> over the local file system. Stateless and thread-safe.</summary>
public sealed class FileSystemTagProbe : ITagFileProbe
{
    /// <summary>The shared instance.</summary>
    public static FileSystemTagProbe Instance { get; } = new();

    /// <inheritdoc/>
    public bool Exists(string path)
    {
        try
        {
            // Attributes come from lstat first, so a dangling symlink or a directory counts as present.
            _ = File.GetAttributes(path);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public int ReadStart(string path, Span<byte> buffer)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        var total = 0;
        while (total < buffer.Length)
        {
            var read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }
}
