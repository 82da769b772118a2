using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Maintenance;

/// <summary>
/// Finds the copy a destination already holds of a source snapshot, by restic's rule: a destination snapshot whose
/// id or <c>original</c> equals the source's persistent id (its <c>original</c>, else its own id), and which is
/// similar to it — same instant, tree, host, user, uid, gid, paths and tags (as sets), and excludes (in order);
/// <c>parent</c> and <c>original</c> may differ. Not thread-safe.
/// </summary>
public sealed class ExistingCopyIndex
{
    private readonly Dictionary<SnapshotId, List<Snapshot>> _byPersistentId = [];

    /// <summary>Indexes the destination's snapshots (each must have its <see cref="Snapshot.Id"/> set).</summary>
    public ExistingCopyIndex(IEnumerable<Snapshot> destinationSnapshots)
    {
        ArgumentNullException.ThrowIfNull(destinationSnapshots);
        foreach (var snapshot in destinationSnapshots)
        {
            Add(snapshot);
        }
    }

    /// <summary>Adds a destination snapshot (one just saved, for instance).</summary>
    public void Add(Snapshot destinationSnapshot)
    {
        ArgumentNullException.ThrowIfNull(destinationSnapshot);
        var id = destinationSnapshot.Id ?? throw new ArgumentException("a snapshot without id cannot be indexed", nameof(destinationSnapshot));
        if (destinationSnapshot.Original is { } original && original != id)
        {
            Append(original, destinationSnapshot);
        }
        // A copy can also be identical to its source (same JSON, same id).
        Append(id, destinationSnapshot);
    }

    /// <summary>The destination's copy of <paramref name="source"/>, or null when it has none.</summary>
    public Snapshot? Find(Snapshot source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var persistent = source.Original ?? source.Id ?? throw new ArgumentException("a snapshot without id cannot be looked up", nameof(source));
        return _byPersistentId.TryGetValue(persistent, out var candidates) ? candidates.Find(c => AreSimilar(c, source)) : null;
    }

    /// <summary>restic's "similar snapshots": every field but <c>parent</c>, <c>original</c> and the statistics matches.</summary>
    public static bool AreSimilar(Snapshot a, Snapshot b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Time.SameInstant(b.Time) && a.Tree == b.Tree
            && a.Hostname == b.Hostname && a.Username == b.Username && a.Uid == b.Uid && a.Gid == b.Gid
            && a.Paths.Count == b.Paths.Count && a.Tags.Count == b.Tags.Count
            && b.Paths.All(p => a.Paths.Contains(p, StringComparer.Ordinal))
            && b.Tags.All(t => a.Tags.Contains(t, StringComparer.Ordinal))
            && a.Excludes.SequenceEqual(b.Excludes, StringComparer.Ordinal);
    }

    private void Append(SnapshotId key, Snapshot snapshot)
    {
        if (!_byPersistentId.TryGetValue(key, out var list))
        {
            _byPersistentId[key] = list = [];
        }
        list.Add(snapshot);
    }
}
