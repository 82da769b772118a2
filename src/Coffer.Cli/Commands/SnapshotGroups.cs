using System.Text.Json;
using Coffer.Core.Model;
using Coffer.Core.Retention;

namespace Coffer.Cli.Commands;

/// <summary>Groups snapshots by any of host, paths and tags, as restic's <c>--group-by</c> does.</summary>
internal sealed record SnapshotGroups(bool IsGrouped, IReadOnlyList<SnapshotGroups.Entry> Groups)
{
    public sealed record Entry(string Description, string KeyJson, IReadOnlyList<Snapshot> Snapshots);

    public static SnapshotGroups Group(IReadOnlyList<Snapshot> snapshots, string? groupBy)
    {
        if (string.IsNullOrEmpty(groupBy))
        {
            return new SnapshotGroups(false, [new Entry("", "{}", snapshots)]);
        }
        var (host, paths, tags) = GroupBy.Parse(groupBy);
        var groups = snapshots
            .GroupBy(s => (host ? s.Hostname : "") + "\0" + (paths ? string.Join('\n', s.Paths.Order(StringComparer.Ordinal)) : "") + "\0"
                + (tags ? string.Join('\n', s.Tags.Order(StringComparer.Ordinal)) : ""))
            .Select(g =>
            {
                var s = g.First();
                var description = new List<string>();
                var key = new Dictionary<string, object?>
                {
                    ["hostname"] = host ? s.Hostname : "",
                    ["paths"] = paths ? s.Paths.Order(StringComparer.Ordinal).ToArray() : null,
                    ["tags"] = tags ? s.Tags.Order(StringComparer.Ordinal).ToArray() : null,
                };
                if (host)
                {
                    description.Add($"host [{s.Hostname}]");
                }
                if (paths)
                {
                    description.Add($"paths [{string.Join(", ", s.Paths.Order(StringComparer.Ordinal))}]");
                }
                if (tags)
                {
                    description.Add($"tags [{string.Join(", ", s.Tags.Order(StringComparer.Ordinal))}]");
                }
                return new Entry(string.Join(", ", description), JsonSerializer.Serialize(key), g.ToList());
            })
            .ToList();
        return new SnapshotGroups(true, groups);
    }
}
