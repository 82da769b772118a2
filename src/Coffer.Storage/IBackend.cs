namespace Coffer.Storage;

/// <summary>
/// The storage contract every repository location implements (local folder, SFTP, S3, REST).
/// A backend stores opaque, write-once files; it knows nothing of encryption or the format.
/// Implementations are safe for concurrent use by many callers.
/// </summary>
public interface IBackend : IAsyncDisposable
{
    /// <summary>A human-readable location (path or URL without credentials), for messages.</summary>
    string Location { get; }

    /// <summary>Creates the repository's folders. Fails if a config file already exists.</summary>
    Task CreateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores a file atomically: after success the whole file is durable under its name; after a failure
    /// or cancellation no partial file is visible. Saving a name that already exists fails with
    /// <see cref="BackendException"/> unless the bytes are identical (then it is a no-op).
    /// </summary>
    Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// Reads <paramref name="destination"/>.Length bytes starting at <paramref name="offset"/>.
    /// Throws <see cref="BackendNotFoundException"/> if the file does not exist and
    /// <see cref="BackendException"/> if the file is shorter than the range.
    /// </summary>
    Task ReadAtAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken);

    /// <summary>The size of a file; throws <see cref="BackendNotFoundException"/> if it does not exist.</summary>
    Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken);

    /// <summary>True if the file exists.</summary>
    Task<bool> ExistsAsync(FileHandle handle, CancellationToken cancellationToken);

    /// <summary>Lists the files of one type (names are 64 hex digits; anything else is skipped).</summary>
    IAsyncEnumerable<FileEntry> ListAsync(FileType type, CancellationToken cancellationToken);

    /// <summary>Deletes a file. Deleting a missing file succeeds (idempotent).</summary>
    Task DeleteAsync(FileHandle handle, CancellationToken cancellationToken);
}
