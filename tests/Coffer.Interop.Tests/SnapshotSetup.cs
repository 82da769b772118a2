using Coffer.Backends.Local;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Storage;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Interop.Tests;

/// <summary>
/// Fills a restic-made repository with many snapshots of one backed-up tree, written directly as snapshot
/// files: seeded times over three years in several UTC offsets (all distinct instants), a few hosts,
/// path sets and tag sets.
/// </summary>
internal static class SnapshotSetup
{
    public static async Task<List<SnapshotId>> AddAsync(InteropFixture fx, int count, int seed, CancellationToken cancellationToken)
    {
        var src = fx.Temp.Combine("src");
        Directory.CreateDirectory(src);
        await File.WriteAllTextAsync(Path.Combine(src, "file"), "content", cancellationToken);
        if (!Directory.Exists(fx.RepoPath))
        {
            await fx.Restic.OkAsync("init");
        }
        await fx.Restic.OkAsync("backup", "--host", "seed", src);
        await using var backend = LocalBackend.Open(fx.RepoPath);
        var repo = await Repo.OpenAsync(backend, System.Text.Encoding.UTF8.GetBytes(fx.Password), cancellationToken);
        var first = (await repo.LoadSnapshotsAsync(cancellationToken)).Single();
        await backend.DeleteAsync(new FileHandle(FileType.Snapshot, first.Id!.Value.ToString()), cancellationToken);

        var random = new Random(seed);
        string[] hosts = ["alpha", "beta", "gamma"];
        string[][] pathSets = [["/srv"], ["/home", "/etc"]];
        string[][] tagSets = [[], ["daily"], ["important"], ["a", "b"], ["b", "c", "a"], ["c"]];
        int[] offsets = [0, 2 * 3600, -5 * 3600, 5 * 3600 + 1800];
        var start = new DateTimeOffset(2020, 11, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var used = new HashSet<long>();
        var ids = new List<SnapshotId>();
        for (var i = 0; i < count; i++)
        {
            // Dense in the last weeks, sparse before: several per day, hour and week, and gaps of months.
            var unix = i % 3 == 0
                ? start + random.NextInt64(0, 3L * 365 * 86400)
                : start + 3L * 365 * 86400 - random.NextInt64(0, 40L * 86400);
            if (!used.Add(unix))
            {
                i--;
                continue;
            }
            var snapshot = new Snapshot
            {
                Time = new GoTime(unix, random.Next(0, 1000) * 1_000_000, offsets[random.Next(offsets.Length)]),
                Tree = first.Tree,
                Paths = pathSets[random.Next(pathSets.Length)],
                Hostname = hosts[random.Next(hosts.Length)],
                Username = "user",
                Tags = tagSets[random.Next(tagSets.Length)],
            };
            ids.Add(new SnapshotId(await repo.SaveUnpackedAsync(FileType.Snapshot, snapshot.Encode(), cancellationToken)));
        }
        return ids;
    }
}
