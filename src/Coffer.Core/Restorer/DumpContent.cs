using System.Text;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Core.Restorer;

/// <summary>
/// Streams one file's content blob by blob: each blob is loaded and verified (MAC and hash) before any of
/// its bytes are written, the next one is fetched while the current one is written, so at most two blobs are
/// in memory whatever the file's size. A blob that is missing or damaged stops the copy with one error naming
/// the file; no byte of a blob that failed verification is ever written.
/// </summary>
internal static class DumpContent
{
    /// <summary>Writes the content of <paramref name="node"/> (a file) and returns the number of bytes written.</summary>
    /// <param name="repository">Where the blobs are (its index loaded).</param>
    /// <param name="node">The file node.</param>
    /// <param name="path">The file's path in the snapshot, for error messages.</param>
    /// <param name="output">The destination; not flushed or disposed.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    public static async Task<long> WriteAsync(Repository.Repository repository, Node node, byte[] path, Stream output, CancellationToken cancellationToken)
    {
        var content = node.Content ?? [];
        if (content.Count == 0)
        {
            return 0;
        }
        long written = 0;
        var next = LoadAsync(repository, content[0], path, cancellationToken);
        try
        {
            for (var i = 0; i < content.Count; i++)
            {
                var blob = await next!.ConfigureAwait(false);
                next = i + 1 < content.Count ? LoadAsync(repository, content[i + 1], path, cancellationToken) : null;
                await output.WriteAsync(blob, cancellationToken).ConfigureAwait(false);
                written += blob.Length;
            }
        }
        finally
        {
            if (next is not null)
            {
                // The loop stopped early: observe the prefetch so its failure is not left unobserved.
                try
                {
                    await next.ConfigureAwait(false);
                }
                catch (Exception e) when (e is CofferException or OperationCanceledException or BackendException or IOException)
                {
                }
            }
        }
        return written;
    }

    private static async Task<byte[]> LoadAsync(Repository.Repository repository, BlobId id, byte[] path, CancellationToken cancellationToken)
    {
        try
        {
            return await repository.LoadBlobAsync(new BlobHandle(id, BlobType.Data), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RepositoryCorruptException or BackendException)
        {
            throw new CofferException($"cannot read {Encoding.UTF8.GetString(path)}: data blob {id.Value.ToShortString()}: {e.Message}", "run 'coffer check --read-data' to see the extent of the damage", e);
        }
    }
}
