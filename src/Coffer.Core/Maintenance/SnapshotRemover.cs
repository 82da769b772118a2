using Coffer.Core.Primitives;
using Coffer.Storage;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Maintenance;

/// <summary>Deletes snapshot files. The caller holds an exclusive lock; nothing else is written.</summary>
public static class SnapshotRemover
{
    private const int Parallelism = 4;

    /// <summary>
    /// Deletes the snapshot files of <paramref name="ids"/>, a few at a time; <paramref name="progress"/> gets
    /// the running count. A file already gone counts as removed; any other failure stops the run.
    /// </summary>
    public static async Task<int> RemoveAsync(Repo repository, IReadOnlyCollection<SnapshotId> ids, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(ids);
        var done = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            try
            {
                await repository.Backend.DeleteAsync(new FileHandle(FileType.Snapshot, id.ToString()), ct).ConfigureAwait(false);
            }
            catch (BackendNotFoundException)
            {
                // Removed meanwhile (or by an earlier, interrupted run): the goal is reached.
            }
            var count = Interlocked.Increment(ref done);
            progress?.Report(count);
        }).ConfigureAwait(false);
        return done;
    }
}
