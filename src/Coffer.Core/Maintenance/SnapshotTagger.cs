using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Storage;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Maintenance;

/// <summary>
/// Changes the tags of snapshots. A snapshot file cannot change (its name is its hash), so each changed
/// snapshot is written anew with <c>original</c> pointing at its first version, and only then is the old
/// file deleted: an interruption leaves at worst both versions, never neither. The caller holds an
/// exclusive lock.
/// </summary>
public static class SnapshotTagger
{
    /// <summary>Rewrites each snapshot whose tags <paramref name="change"/> alters; returns (old id, new id) per rewritten snapshot.</summary>
    public static async Task<List<(SnapshotId Old, SnapshotId New)>> RetagAsync(Repo repository, IEnumerable<Snapshot> snapshots, TagChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(change);
        var rewritten = new List<(SnapshotId, SnapshotId)>();
        foreach (var snapshot in snapshots)
        {
            var oldId = snapshot.Id ?? throw new ArgumentException("a snapshot without id cannot be retagged", nameof(snapshots));
            if (change.Apply(snapshot.Tags) is not { } tags)
            {
                continue;
            }
            var copy = Snapshot.Parse(snapshot.Encode());
            copy.Tags = tags;
            copy.Original ??= oldId;
            var newId = new SnapshotId(await repository.SaveUnpackedAsync(FileType.Snapshot, copy.Encode(), cancellationToken).ConfigureAwait(false));
            copy.Id = newId;
            if (newId != oldId)
            {
                await repository.Backend.DeleteAsync(new FileHandle(FileType.Snapshot, oldId.ToString()), cancellationToken).ConfigureAwait(false);
            }
            rewritten.Add((oldId, newId));
        }
        return rewritten;
    }
}
