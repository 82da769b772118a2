using Coffer.Core.Index;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Storage;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Maintenance;

/// <summary>
/// Replaces a repository's index files with new ones describing a given set of packs. New files are
/// written first (each marked as superseding the old ones), the old ones deleted after: killed in
/// between, both describe packs that exist, and loading both is harmless. The caller holds an
/// exclusive lock.
/// </summary>
public static class IndexReplacer
{
    /// <summary>Blob entries per new index file (restic's full-index threshold is of this order).</summary>
    public const int BlobsPerFile = 150_000;

    private const int DeleteParallelism = 4;

    /// <summary>
    /// Writes index files for <paramref name="packs"/> (in order, at most <paramref name="blobsPerFile"/>
    /// entries each, a pack never split) and returns their ids. Each new file lists
    /// <paramref name="supersedes"/>.
    /// </summary>
    public static async Task<List<Id>> WriteAsync(Repo repository, IEnumerable<IndexPack> packs, IReadOnlyCollection<Id> supersedes,
        CancellationToken cancellationToken, int blobsPerFile = BlobsPerFile)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(packs);
        ArgumentNullException.ThrowIfNull(supersedes);
        var written = new List<Id>();
        var current = NewFile(supersedes);
        var blobs = 0;
        foreach (var pack in packs)
        {
            current.Packs.Add(pack);
            blobs += pack.Blobs.Count;
            if (blobs >= blobsPerFile)
            {
                written.Add(await SaveAsync(repository, current, cancellationToken).ConfigureAwait(false));
                current = NewFile(supersedes);
                blobs = 0;
            }
        }
        if (current.Packs.Count > 0)
        {
            written.Add(await SaveAsync(repository, current, cancellationToken).ConfigureAwait(false));
        }
        return written;
    }

    /// <summary>Deletes index files, a few at a time; one already gone counts as deleted.</summary>
    public static async Task DeleteAsync(Repo repository, IEnumerable<Id> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = DeleteParallelism, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            try
            {
                await repository.Backend.DeleteAsync(new FileHandle(FileType.Index, id.ToString()), ct).ConfigureAwait(false);
            }
            catch (BackendNotFoundException)
            {
                // Deleted by an earlier, interrupted run.
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes index files for <paramref name="packs"/>, then deletes <paramref name="obsolete"/> (except any
    /// id just written). Returns the new ids.
    /// </summary>
    public static async Task<List<Id>> ReplaceAsync(Repo repository, IEnumerable<IndexPack> packs, IReadOnlyCollection<Id> obsolete, CancellationToken cancellationToken)
    {
        var written = await WriteAsync(repository, packs, obsolete, cancellationToken).ConfigureAwait(false);
        var keep = written.ToHashSet();
        await DeleteAsync(repository, obsolete.Where(id => !keep.Contains(id)), cancellationToken).ConfigureAwait(false);
        return written;
    }

    private static IndexFile NewFile(IReadOnlyCollection<Id> supersedes)
    {
        var file = new IndexFile();
        file.Supersedes.AddRange(supersedes);
        return file;
    }

    private static async Task<Id> SaveAsync(Repo repository, IndexFile file, CancellationToken cancellationToken)
    {
        using var json = new NativeBufferWriter(file.EncodedSizeEstimate);
        file.EncodeTo(json);
        return await repository.SaveUnpackedAsync(FileType.Index, json.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }
}
