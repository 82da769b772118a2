using Coffer.Core.Model;

namespace Coffer.Core.Retention;

/// <summary>Snapshots sharing a <see cref="SnapshotGroupKey"/>, in the order they were given.</summary>
public sealed record SnapshotGroup(SnapshotGroupKey Key, IReadOnlyList<Snapshot> Snapshots)
{
    /// <summary>Groups snapshots by the fields in <paramref name="by"/>; groups are ordered by host, then paths, then tags.</summary>
    public static List<SnapshotGroup> Build(IEnumerable<Snapshot> snapshots, GroupBy by)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var groups = new Dictionary<SnapshotGroupKey, List<Snapshot>>();
        foreach (var s in snapshots)
        {
            var tags = by.Tags && s.Tags.Count > 0 ? s.Tags.Order(StringComparer.Ordinal).ToArray() : null;
            var paths = by.Paths ? s.Paths.Order(StringComparer.Ordinal).ToArray() : null;
            var key = new SnapshotGroupKey(by.Host ? s.Hostname : "", paths, tags);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }
            list.Add(s);
        }
        return groups.OrderBy(g => g.Key.SortKey, StringComparer.Ordinal).Select(g => new SnapshotGroup(g.Key, g.Value)).ToList();
    }
}
