namespace Coffer.Storage;

/// <summary>
/// Passes reads through to the inner backend and refuses every change (create, save, delete) with a
/// <see cref="BackendException"/>, so a command that must not modify the repository cannot.
/// Owns the inner backend (disposes it). Thread-safe if the inner backend is.
/// </summary>
public sealed class ReadOnlyBackend : IBackend
{
    private readonly IBackend _inner;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public ReadOnlyBackend(IBackend inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <inheritdoc />
    public string Location => _inner.Location;

    /// <inheritdoc/>
    public bool ListsConsistently => _inner.ListsConsistently;

    /// <summary>Always throws <see cref="BackendException"/>.</summary>
    public Task CreateAsync(CancellationToken cancellationToken) =>
        Task.FromException(Refuse("create a repository"));

    /// <summary>Always throws <see cref="BackendException"/>.</summary>
    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Task.FromException(Refuse($"save {handle}"));

    /// <inheritdoc />
    public Task ReadAtAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken) =>
        _inner.ReadAtAsync(handle, offset, destination, cancellationToken);

    /// <inheritdoc />
    public Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken) =>
        _inner.GetSizeAsync(handle, cancellationToken);

    /// <inheritdoc />
    public Task<bool> ExistsAsync(FileHandle handle, CancellationToken cancellationToken) =>
        _inner.ExistsAsync(handle, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<FileEntry> ListAsync(FileType type, CancellationToken cancellationToken) =>
        _inner.ListAsync(type, cancellationToken);

    /// <summary>Always throws <see cref="BackendException"/>.</summary>
    public Task DeleteAsync(FileHandle handle, CancellationToken cancellationToken) =>
        Task.FromException(Refuse($"delete {handle}"));

    /// <summary>Disposes the inner backend.</summary>
    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private BackendException Refuse(string action) =>
        new($"repository is opened read-only: cannot {action} in {Location}");
}
