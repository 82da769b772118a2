using Coffer.Cli.Rendering;
using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Cli.Commands;

/// <summary>
/// restic's snapshot table: oldest first, ID, time in the local zone, host, tags, optionally the reasons a
/// snapshot is kept, and paths; a blank line between rows when some snapshot has several paths.
/// </summary>
internal static class SnapshotTable
{
    public static void Write(TextWriter output, IEnumerable<Snapshot> snapshots, bool compact, TimeZoneInfo zone,
        IReadOnlyDictionary<SnapshotId, IReadOnlyList<string>>? reasons = null)
    {
        var list = snapshots.OrderBy(s => s.Time).ToList();
        var table = new TextTable().AddColumn("ID").AddColumn("Time");
        if (compact)
        {
            table.AddColumn("Host").AddColumn("Tags  ");
        }
        else
        {
            table.AddColumn("Host      ").AddColumn("Tags      ");
            if (reasons is not null)
            {
                table.AddColumn("Reasons");
            }
            table.AddColumn("Paths");
        }
        foreach (var s in list)
        {
            var id = s.Id!.Value;
            var time = s.Time.InZone(zone).ToShortString();
            if (compact)
            {
                table.AddRow(id.ToShortString(), time, s.Hostname, string.Join('\n', s.Tags));
            }
            else if (reasons is not null)
            {
                var why = reasons.TryGetValue(id, out var r) ? string.Join('\n', r) : "";
                table.AddRow(id.ToShortString(), time, s.Hostname, string.Join(',', s.Tags), why, string.Join('\n', s.Paths));
            }
            else
            {
                table.AddRow(id.ToShortString(), time, s.Hostname, string.Join(',', s.Tags), string.Join('\n', s.Paths));
            }
        }
        table.BlankLineBetweenRows = !compact && list.Any(s => s.Paths.Count > 1);
        table.AddFooter($"{list.Count} snapshots");
        table.Write(output);
    }
}
