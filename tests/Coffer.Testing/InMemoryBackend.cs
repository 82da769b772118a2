using System.Runtime.CompilerServices;
using Coffer.Storage;

namespace Coffer.Testing;

/// <summary>
/// A complete <see cref="IBackend"/> that keeps files in memory, for fast tests of code above storage.
/// Follows the same contract as the real backends (atomic write-once saves, ranged reads, listing with
/// sizes, idempotent delete). Thread-safe; saved bytes are copied, so callers may reuse their buffers.
/// </summary>
public sealed class InMemoryBackend : IBackend
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(FileType Type, string Name), byte[]> _files = [];
    private bool _created;

    /// <summary>Creates an empty store; <paramref name="location"/> is shown in messages.</summary>
    public InMemoryBackend(string location = "memory:")
    {
        Location = location;
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <summary>
    /// What the store claims about its listings (<see cref="IBackend.ListsConsistently"/>): false by default, like a
    /// remote store, so that locks wait their settle delay; its listings are in fact always current.
    /// </summary>
    public bool ListsConsistently { get; init; }

    /// <summary>
    /// Runs inside <see cref="SaveAsync"/> after the bytes are copied and before they become visible, so a
    /// test can fail or cancel a save half-way.
    /// </summary>
    public Func<FileHandle, CancellationToken, ValueTask>? BeforeCommit { get; set; }

    /// <summary>The number of files stored (config included).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _files.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task CreateAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_files.ContainsKey(Key(FileHandle.Config)))
            {
                return Task.FromException(new BackendException($"{Location}: a repository already exists there (config file found)"));
            }
            _created = true;
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var key = Key(handle);
        cancellationToken.ThrowIfCancellationRequested();
        var copy = data.ToArray();
        if (BeforeCommit is { } hook)
        {
            await hook(handle, cancellationToken).ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_files.TryGetValue(key, out var existing))
            {
                if (!existing.AsSpan().SequenceEqual(copy))
                {
                    throw new BackendException($"{handle} already exists in {Location} with different content; files are never overwritten");
                }
                return;
            }
            _files.Add(key, copy);
        }
    }

    /// <inheritdoc />
    public Task ReadAtAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var file = Get(handle);
        cancellationToken.ThrowIfCancellationRequested();
        if (offset > file.Length || destination.Length > file.Length - offset)
        {
            return Task.FromException(new BackendException(
                $"{handle} in {Location}: cannot read {destination.Length} bytes at offset {offset}; the file has only {file.Length} bytes"));
        }
        file.AsSpan((int)offset, destination.Length).CopyTo(destination.Span);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult((long)Get(handle).Length);
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        var key = Key(handle);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_files.ContainsKey(key));
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<FileEntry> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (type == FileType.Config)
        {
            throw new ArgumentException("the config file is not listable; use ExistsAsync", nameof(type));
        }
        await Task.Yield();
        List<FileEntry> entries;
        lock (_gate)
        {
            entries = [.. _files
                .Where(pair => pair.Key.Type == type && FileTypes.IsValidName(pair.Key.Name))
                .Select(pair => new FileEntry(pair.Key.Name, pair.Value.Length))];
        }
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        var key = Key(handle);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _files.Remove(key);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stores a file under any name, bypassing name checks and write-once rules, to simulate files another
    /// program left in the repository.
    /// </summary>
    public void PutForeign(FileType type, string name, byte[] data)
    {
        lock (_gate)
        {
            _files[(type, name)] = [.. data];
        }
    }

    /// <summary>True once <see cref="CreateAsync"/> has succeeded.</summary>
    public bool IsCreated
    {
        get
        {
            lock (_gate)
            {
                return _created;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static (FileType, string) Key(FileHandle handle)
    {
        if (handle.Type == FileType.Config)
        {
            return (FileType.Config, "");
        }
        if (!FileTypes.IsValidName(handle.Name))
        {
            throw new ArgumentException($"invalid file name \"{handle.Name}\" (expected 64 lowercase hex digits)", nameof(handle));
        }
        return (handle.Type, handle.Name);
    }

    private byte[] Get(FileHandle handle)
    {
        var key = Key(handle);
        lock (_gate)
        {
            return _files.TryGetValue(key, out var file) ? file : throw new BackendNotFoundException(handle);
        }
    }
}
