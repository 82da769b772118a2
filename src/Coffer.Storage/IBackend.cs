namespace Coffer.Storage;

/// <summary>
/// The storage contract every repository location implements (local folder, SFTP, S3, REST).
/// A backend stores opaque, write-once files; it knows nothing of encryption or the format.
/// Implementations are safe for concurrent use by many callers. Every name except the config's must be
/// 64 lowercase hex digits (<see cref="FileTypes.IsValidName"/>); other names throw
/// <see cref="ArgumentException"/>, so no name can reach outside the repository.
/// </summary>
public interface IBackend : IAsyncDisposable
{
    /// <summary>A human-readable location (path or URL without credentials), for messages.</summary>
    string Location { get; }

    /// <summary>
    /// True when a saved file is in every listing that starts after the save returns, for every process (a local
    /// file system). Taking a lock then needs no settle delay before its second look for conflicting locks; the
    /// delay is for stores whose listings can lag behind writes.
    /// </summary>
    bool ListsConsistently => false;

    /// <summary>
    /// Creates the repository's folders (where the backend has folders). Throws
    /// <see cref="BackendException"/> if a config file already exists.
    /// </summary>
    Task CreateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores a file atomically: after success the whole file is durable under its name; after a failure
    /// or cancellation no partial file is visible. Saving a name that already exists fails with
    /// <see cref="BackendException"/> unless the bytes are identical (then it is a no-op), so a retried save
    /// is safe. The caller keeps ownership of <paramref name="data"/>; the backend does not hold on to it.
    /// </summary>
    Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// Reads <paramref name="destination"/>.Length bytes starting at <paramref name="offset"/>.
    /// Throws <see cref="BackendNotFoundException"/> if the file does not exist and
    /// <see cref="BackendException"/> if the file is shorter than the range (an empty range must still start
    /// at or before the end). Fills the whole destination or throws.
    /// </summary>
    Task ReadAtAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken);

    /// <summary>The size of a file; throws <see cref="BackendNotFoundException"/> if it does not exist.</summary>
    Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken);

    /// <summary>True if the file exists.</summary>
    Task<bool> ExistsAsync(FileHandle handle, CancellationToken cancellationToken);

    /// <summary>
    /// Lists the files of one type with their sizes, in no particular order (names are 64 hex digits;
    /// anything else, such as temporary files, is skipped). A type with no folder yet lists as empty.
    /// <see cref="FileType.Config"/> is not listable (<see cref="ArgumentException"/>).
    /// </summary>
    IAsyncEnumerable<FileEntry> ListAsync(FileType type, CancellationToken cancellationToken);

    /// <summary>Deletes a file. Deleting a missing file succeeds (idempotent).</summary>
    Task DeleteAsync(FileHandle handle, CancellationToken cancellationToken);
}
