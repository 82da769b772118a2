using System.Text;
using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Tests.Retention;

/// <summary>Snapshots made up for policy tests: a time (RFC 3339, any offset), host, paths and tags, and an id derived from them.</summary>
internal static class Snapshots
{
    public static Snapshot Make(string time, string host = "h", string[]? tags = null, string[]? paths = null)
    {
        var s = new Snapshot
        {
            Time = GoTime.Parse(time),
            Hostname = host,
            Paths = paths ?? ["/data"],
            Tags = tags ?? [],
            Tree = new BlobId(Id.Hash(Encoding.UTF8.GetBytes("tree"))),
        };
        s.Id = new SnapshotId(Id.Hash(s.Encode()));
        return s;
    }

    /// <summary>Times of the kept snapshots, newest first, as given.</summary>
    public static string[] Times(IEnumerable<Snapshot> list) => list.Select(s => s.Time.ToString()).ToArray();
}
