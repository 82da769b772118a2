using System.IO.Enumeration;
using System.Runtime.CompilerServices;
using Coffer.Storage;
using Microsoft.Win32.SafeHandles;

namespace Coffer.Backends.Local;

/// <summary>
/// A repository in a folder of the local file system, laid out as restic lays it out:
/// <c>config</c>, <c>keys/</c>, <c>snapshots/</c>, <c>index/</c>, <c>locks/</c> and <c>data/xx/&lt;name&gt;</c>.
/// Saves are atomic and durable (temporary file, fsync, rename, directory fsync), and saved files are
/// read-only. Safe for concurrent use; several processes may share one folder.
/// </summary>
public sealed partial class LocalBackend : IBackend
{
    private readonly string _root;

    private LocalBackend(string location, string root)
    {
        Location = location;
        _root = root;
    }

    /// <summary>The path as given to <see cref="Open"/> (possibly relative).</summary>
    public string Location { get; }

    /// <summary>True: a file renamed into place is in every later directory listing.</summary>
    public bool ListsConsistently => true;

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
    /// Fills <paramref name="destination"/> from <paramref name="offset"/> on. Throws
    /// <see cref="BackendNotFoundException"/> for a missing file and <see cref="BackendException"/> naming
    /// the file and range when the file ends before the range does (also for an empty range past the end).
    /// </summary>
    public Task ReadAtAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }
        try
        {
            ReadAt(handle, offset, destination.Span);
            return Task.CompletedTask;
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
    }

    private void ReadAt(FileHandle handle, long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var path = PathOf(handle);
        var cached = handle.Type == FileType.Pack;
        var file = cached ? CachedPackHandle(handle, path) : OpenForReading(handle, path);
        try
        {
            if (cached)
            {
                try
                {
                    ReadFully(handle, file, offset, destination);
                    return;
                }
                catch (ObjectDisposedException)
                {
                    // Another thread evicted the cached handle between lookup and read (a disposed handle
                    // reports closed at once, even while a read through it still holds it): read through a
                    // handle of our own instead.
                    cached = false;
                    file = OpenForReading(handle, path);
                }
            }
            ReadFully(handle, file, offset, destination);
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            throw LocalErrors.Translate(e, $"read {handle} in {Location}");
        }
        finally
        {
            if (!cached)
            {
                file.Dispose();
            }
        }
    }

    private void ReadFully(FileHandle handle, SafeFileHandle file, long offset, Span<byte> destination)
    {
        var done = 0;
        while (done < destination.Length)
        {
            // Handles are synchronous: a positional read of a local file is faster done in place than
            // handed to another thread, and callers already run reads in parallel.
            var read = RandomAccess.Read(file, destination[done..], offset + done);
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

    // Packs are read blob by blob (trees during backup, everything during restore): keep a few handles open
    // instead of opening the file for every blob. Pack files never change once written. A read that
    // finds its cached handle evicted by another thread retries with a handle of its own.
    private const int MaxCachedPacks = 64;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SafeFileHandle> _packHandles = new(StringComparer.Ordinal);

    private SafeFileHandle CachedPackHandle(FileHandle handle, string path)
    {
        if (_packHandles.TryGetValue(handle.Name, out var open) && !open.IsClosed)
        {
            return open;
        }
        var fresh = OpenForReading(handle, path);
        if (_packHandles.Count >= MaxCachedPacks)
        {
            ForgetPackHandles();
        }
        if (!_packHandles.TryAdd(handle.Name, fresh))
        {
            fresh.Dispose();
            return _packHandles.TryGetValue(handle.Name, out open) ? open : OpenForReading(handle, path);
        }
        return fresh;
    }

    private void ForgetPackHandles()
    {
        foreach (var name in _packHandles.Keys)
        {
            if (_packHandles.TryRemove(name, out var h))
            {
                h.Dispose();
            }
        }
    }

    private void ForgetPackHandle(FileHandle handle)
    {
        if (handle.Type == FileType.Pack && _packHandles.TryRemove(handle.Name, out var h))
        {
            h.Dispose();
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

    /// <summary>Nothing to release: every operation opens and closes its own files.</summary>
    public ValueTask DisposeAsync()
    {
        ForgetPackHandles();
        return ValueTask.CompletedTask;
    }

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
