using System.Text;
using Coffer.Core.Model;

namespace Coffer.Cli.Commands;

/// <summary>Snapshots as restic's JSON output prints them: the stored fields plus <c>id</c> and <c>short_id</c>.</summary>
internal static class SnapshotJson
{
    public static string Object(Snapshot snapshot, string? extra = null)
    {
        var json = Encoding.UTF8.GetString(snapshot.Encode());
        var id = snapshot.Id!.Value;
        return json[..^1] + $",\"id\":\"{id}\",\"short_id\":\"{id.ToShortString()}\"{extra}}}";
    }

    public static string Array(IEnumerable<Snapshot> snapshots) => "[" + string.Join(",", snapshots.Select(s => Object(s))) + "]";
}
