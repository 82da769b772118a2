namespace Coffer.Storage;

/// <summary>Conveniences built on <see cref="IBackend"/>'s primitive operations.</summary>
public static class BackendExtensions
{
    /// <summary>Largest whole file read into memory (packs are at most 128 MiB plus header).</summary>
    public const long MaxWholeFileSize = 1L << 30;

    /// <summary>Reads a whole file into a new array.</summary>
    public static async Task<byte[]> ReadAllAsync(this IBackend backend, FileHandle handle, CancellationToken cancellationToken)
    {
        var size = await backend.GetSizeAsync(handle, cancellationToken).ConfigureAwait(false);
        if (size > MaxWholeFileSize)
        {
            throw new BackendException($"{handle} is too large to read whole ({size} bytes)");
        }
        var buffer = new byte[size];
        await backend.ReadAtAsync(handle, 0, buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }
}
