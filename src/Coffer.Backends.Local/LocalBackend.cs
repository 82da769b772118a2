using System.Buffers;
using System.IO.Enumeration;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Coffer.Backends.Local.Interop;
using Coffer.Storage;
using Microsoft.Win32.SafeHandles;

namespace Coffer.Backends.Local;

// This file is past the usual size because the atomic save procedure and its clean-up belong together.

/// <summary>
/// A repository in a folder of the local file system, laid out as restic lays it out:
/// <c>config</c>, <c>keys/</c>, <c>snapshots/</c>, <c>index/</c>, <c>locks/</c> and <c>data/xx/&lt;name&gt;</c>.
/// Saves are atomic and durable (temporary file, fsync, rename, directory fsync), and saved files are
/// read-only. Safe for concurrent use; several processes may share one folder.
/// </summary>
public sealed class LocalBackend : IBackend
{
    private const string TempMarker = "-tmp-";
    private const int CompareChunkSize = 64 * 1024;

    private readonly string _root;
    private RepositoryModes? _modes;

    private LocalBackend(string location, string root)
    {
        Location = location;
        _root = root;
    }

    /// <summary>The path as given to <see cref="Open"/> (possibly relative).</summary>
    public string Location { get; }

    /// <summary>The absolute path of the repository folder.</summary>
    public string RootPath => _root;

    /// <summary>
    /// Test seam: runs after the temporary file holds all bytes and before it is synced and renamed, so
    /// tests can fail or cancel a save half-way.
    /// </summary>
    internal Func<FileHandle, CancellationToken, ValueTask>? AfterTemporaryWrite { get; set; }

    /// <summary>
    /// Opens the repository folder at <paramref name="path"/>, which may be relative (it is resolved
    /// against the current directory now). Nothing is read or created until the first operation.
    /// </summary>
    public static LocalBackend Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new LocalBackend(path, Path.GetFullPath(path));
    }

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
    /// Fills <paramref name="destination"/> from <paramref name="offset"/> on. Throws
    /// <see cref="BackendNotFoundException"/> for a missing file and <see cref="BackendException"/> naming
    /// the file and range when the file ends before the range does (also for an empty range past the end).
    /// </summary>
    public async Task ReadAtAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var path = PathOf(handle);
        cancellationToken.ThrowIfCancellationRequested();
        using var file = OpenForReading(handle, path);
        try
        {
            var done = 0;
            while (done < destination.Length)
            {
                var read = await RandomAccess.ReadAsync(file, destination[done..], offset + done, cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0)
                {
                    throw ShortFile(handle, offset, destination.Length, RandomAccess.GetLength(file));
                }
                done += read;
            }
            if (destination.Length == 0 && offset > RandomAccess.GetLength(file))
            {
                throw ShortFile(handle, offset, 0, RandomAccess.GetLength(file));
            }
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            throw LocalErrors.Translate(e, $"read {handle} in {Location}");
        }
    }

    /// <summary>The size of a file in bytes; <see cref="BackendNotFoundException"/> if it does not exist.</summary>
    public Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        var path = PathOf(handle);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? Task.FromResult(info.Length) : throw new BackendNotFoundException(handle);
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            throw LocalErrors.Translate(e, $"stat {handle} in {Location}");
        }
    }

    /// <summary>True if the file exists (a folder of that name does not count).</summary>
    public Task<bool> ExistsAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        var path = PathOf(handle);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(File.Exists(path));
    }

    /// <summary>
    /// Lists the files of one type with their sizes, in no particular order. Packs are gathered from every
    /// <c>data/*/</c> folder. Names that are not 64 lowercase hex digits (temporary files, foreign files)
    /// are skipped; a missing folder lists as empty.
    /// </summary>
    public async IAsyncEnumerable<FileEntry> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (type == FileType.Config)
        {
            throw new ArgumentException("the config file is not listable; use ExistsAsync", nameof(type));
        }
        await Task.Yield();
        var folder = Path.Combine(_root, FileTypes.Folder(type));
        var folders = type == FileType.Pack ? ListSubfolders(folder) : [folder];
        foreach (var sub in folders)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var entry in ListFiles(sub))
            {
                yield return entry;
            }
        }
    }

    /// <summary>
    /// Removes a file; a missing file (or folder) is not an error. Works on read-only files, since removing
    /// needs only write permission on the folder.
    /// </summary>
    public Task DeleteAsync(FileHandle handle, CancellationToken cancellationToken)
    {
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

    /// <summary>Nothing to release: every operation opens and closes its own files.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public override string ToString() => $"local:{Location}";

    /// <summary>The path of a file; rejects names that could leave the repository folder.</summary>
    internal string PathOf(FileHandle handle)
    {
        if (handle.Type == FileType.Config)
        {
            return Path.Combine(_root, "config");
        }
        if (!FileTypes.IsValidName(handle.Name))
        {
            throw new ArgumentException($"invalid file name \"{handle.Name}\" (expected 64 lowercase hex digits)", nameof(handle));
        }
        var folder = Path.Combine(_root, FileTypes.Folder(handle.Type));
        return handle.Type == FileType.Pack
            ? Path.Combine(folder, handle.Name[..2], handle.Name)
            : Path.Combine(folder, handle.Name);
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

    private SafeFileHandle OpenForReading(FileHandle handle, string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BackendNotFoundException(handle, e);
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            throw LocalErrors.Translate(e, $"open {handle} in {Location}");
        }
    }

    private BackendException ShortFile(FileHandle handle, long offset, int length, long fileLength) =>
        new($"{handle} in {Location}: cannot read {length} bytes at offset {offset} (bytes {offset}..{offset + length}); the file has only {fileLength} bytes");

    /// <summary>The modes for new files: from the config's permissions once it exists, private until then.</summary>
    private RepositoryModes GetModes()
    {
        if (_modes is { } known)
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
        _modes = modes;
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

    private List<string> ListSubfolders(string folder)
    {
        try
        {
            return [.. Directory.EnumerateDirectories(folder)];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            throw LocalErrors.Translate(e, $"list {folder}");
        }
    }

    private List<FileEntry> ListFiles(string folder)
    {
        try
        {
            // The constructor already opens the folder, so it belongs inside the try.
            var enumerable = new FileSystemEnumerable<FileEntry>(
                folder,
                (ref FileSystemEntry entry) => new FileEntry(entry.FileName.ToString(), entry.Length),
                new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = 0 })
            {
                ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && IsValidName(entry.FileName),
            };
            return [.. enumerable];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            throw LocalErrors.Translate(e, $"list {folder}");
        }
    }

    private static bool IsValidName(ReadOnlySpan<char> name)
    {
        if (name.Length != 64)
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }
        return true;
    }
}
