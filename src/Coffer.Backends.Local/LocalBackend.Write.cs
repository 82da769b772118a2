using System.Buffers;
using System.Security.Cryptography;
using Coffer.Backends.Local.Interop;
using Coffer.Storage;

namespace Coffer.Backends.Local;

/// <summary>The writing half of the local backend: create, the atomic save, delete.</summary>
public sealed partial class LocalBackend
{
    private const string TempMarker = "-tmp-";
    private const int CompareChunkSize = 64 * 1024;

    private RepositoryModes? _modes;

    /// <summary>
    /// Creates the repository folder, <c>keys/</c>, <c>snapshots/</c>, <c>index/</c>, <c>locks/</c> and all
    /// 256 <c>data/00</c> … <c>data/ff</c> folders (mode 0700). Throws <see cref="BackendException"/> if a
    /// <c>config</c> file already exists. Existing folders are kept.
    /// </summary>
    public Task CreateAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (File.Exists(PathOf(FileHandle.Config)))
        {
            throw new BackendException($"{Location}: a repository already exists there (config file found)");
        }
        try
        {
            var mode = RepositoryModes.Private.Folder;
            CreateFolder(_root, mode);
            foreach (var type in FileTypes.Listable)
            {
                CreateFolder(Path.Combine(_root, FileTypes.Folder(type)), mode);
            }
            var data = Path.Combine(_root, FileTypes.Folder(FileType.Pack));
            for (var i = 0; i < 256; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                CreateFolder(Path.Combine(data, i.ToString("x2")), mode);
            }
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            throw LocalErrors.Translate(e, $"create repository {Location}");
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stores <paramref name="data"/> under <paramref name="handle"/>: writes a temporary file
    /// <c>&lt;name&gt;-tmp-&lt;random&gt;</c> in the target folder, fsyncs it, renames it into place without
    /// replacing anything, fsyncs the folder and makes the file read-only. On failure or cancellation the
    /// temporary file is removed. An existing file with identical bytes makes this a no-op; different bytes
    /// throw <see cref="BackendException"/>. The caller keeps ownership of <paramref name="data"/>.
    /// </summary>
    public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var path = PathOf(handle);
        cancellationToken.ThrowIfCancellationRequested();
        var action = $"save {handle} in {Location}";
        try
        {
            if (File.Exists(path))
            {
                await EnsureSameContentAsync(handle, path, data, cancellationToken).ConfigureAwait(false);
                return;
            }

            var folder = Path.GetDirectoryName(path)!;
            var modes = GetModes();
            var temporary = path + TempMarker + RandomNumberGenerator.GetHexString(12, lowercase: true);
            try
            {
                await WriteTemporaryAsync(handle, temporary, folder, modes, data, cancellationToken).ConfigureAwait(false);
                if (!TryMoveIntoPlace(temporary, path))
                {
                    File.Delete(temporary);
                    await EnsureSameContentAsync(handle, path, data, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
            catch
            {
                DeleteQuietly(temporary);
                throw;
            }

            // The file is in place: from here on the save has happened, so cancellation is no longer honoured.
            DirectorySync.Flush(folder);
            MakeReadOnly(path, modes);
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            throw LocalErrors.Translate(e, action);
        }
    }

    /// <summary>
    /// Removes a file; a missing file (or folder) is not an error. Works on read-only files, since removing
    /// needs only write permission on the folder.
    /// </summary>
    public Task DeleteAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        ForgetPackHandle(handle);
        var path = PathOf(handle);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            if (OperatingSystem.IsWindows() && File.Exists(path))
            {
                File.SetAttributes(path, FileAttributes.Normal);
            }
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing to delete.
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            throw LocalErrors.Translate(e, $"delete {handle} in {Location}");
        }
        return Task.CompletedTask;
    }

    private async Task WriteTemporaryAsync(
        FileHandle handle, string temporary, string folder, RepositoryModes modes, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = CreateTemporary(temporary, modes);
        }
        catch (DirectoryNotFoundException)
        {
            // data/xx/ (or a type folder) may not exist in a repository copied without empty folders.
            if (!Directory.Exists(_root))
            {
                throw new BackendException($"{Location}: the repository folder does not exist");
            }
            CreateFolder(folder, modes.Folder);
            stream = CreateTemporary(temporary, modes);
        }
        await using (stream.ConfigureAwait(false))
        {
            var file = stream.SafeFileHandle;
            await RandomAccess.WriteAsync(file, data, 0, cancellationToken).ConfigureAwait(false);
            if (AfterTemporaryWrite is { } hook)
            {
                await hook(handle, cancellationToken).ConfigureAwait(false);
            }
            cancellationToken.ThrowIfCancellationRequested();
            RandomAccess.FlushToDisk(file);
        }
    }

    private static FileStream CreateTemporary(string path, RepositoryModes modes)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = modes.File;
        }
        return new FileStream(path, options);
    }

    /// <summary>Renames without ever replacing an existing file; false if <paramref name="path"/> already exists.</summary>
    private static bool TryMoveIntoPlace(string temporary, string path)
    {
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    private async Task EnsureSameContentAsync(FileHandle handle, string path, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        using var file = OpenForReading(handle, path);
        var different = new BackendException($"{handle} already exists in {Location} with different content; files are never overwritten");
        if (RandomAccess.GetLength(file) != data.Length)
        {
            throw different;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(CompareChunkSize);
        try
        {
            long offset = 0;
            while (offset < data.Length)
            {
                var want = (int)Math.Min(CompareChunkSize, data.Length - offset);
                var read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, want), offset, cancellationToken).ConfigureAwait(false);
                if (read == 0 || !buffer.AsSpan(0, read).SequenceEqual(data.Span.Slice((int)offset, read)))
                {
                    throw different;
                }
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The modes for new files: from the config's permissions once it exists, private until then.</summary>
    private RepositoryModes GetModes()
    {
        if (Volatile.Read(ref _modes) is { } known)
        {
            return known;
        }
        if (OperatingSystem.IsWindows())
        {
            return RepositoryModes.Private;
        }
        var config = PathOf(FileHandle.Config);
        if (!File.Exists(config))
        {
            return RepositoryModes.Private;
        }
        var modes = RepositoryModes.FromConfigMode(File.GetUnixFileMode(config));
        Volatile.Write(ref _modes, modes);
        return modes;
    }

    private static void MakeReadOnly(string path, RepositoryModes modes)
    {
        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(path, FileAttributes.ReadOnly);
            return;
        }
        File.SetUnixFileMode(path, modes.ReadOnlyFile);
    }

    private static void CreateFolder(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, mode);
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            // The original failure matters more than a leftover temporary file, which List skips anyway.
        }
    }
}
