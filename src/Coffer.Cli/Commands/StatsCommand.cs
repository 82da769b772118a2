using System.CommandLine;
using Coffer.Cli.Rendering;
using Coffer.Core.Primitives;
using Coffer.Core.Restorer;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer stats [SNAPSHOT...] --mode MODE</c>: restic's repository statistics, as text or <c>--json</c>.</summary>
internal static class StatsCommand
{
    public static Command Create(CommandEnv env)
    {
        var filter = new SnapshotOptions();
        var ids = new Argument<string[]>("snapshot ID") { Arity = ArgumentArity.ZeroOrMore, Description = "snapshots to count (ids, prefixes or 'latest'); all when none" };
        var mode = new Option<string>("--mode") { Description = "counting mode: restore-size (default), files-by-contents, blobs-per-file or raw-data", DefaultValueFactory = _ => "restore-size" };
        var command = new Command("stats", "Scan the repository and show basic statistics") { ids, mode };
        filter.AddTo(command);
        env.BindWithRepository(command, LockMode.Shared, async (result, settings, session, ct) =>
        {
            var modeName = result.GetValue(mode)!;
            var statsMode = modeName switch
            {
                "restore-size" => StatsMode.RestoreSize,
                "files-by-contents" => StatsMode.FilesByContents,
                "raw-data" => StatsMode.RawData,
                "blobs-per-file" => StatsMode.BlobsPerFile,
                _ => throw new CofferException($"unknown counting mode: {modeName} (use the help command to get a list of possible modes)"),
            };
            var repo = session.Repository;
            await repo.LoadIndexAsync(ct).ConfigureAwait(false);
            var output = env.Console.Out;
            if (!settings.Json)
            {
                await output.WriteAsync("scanning...\n").ConfigureAwait(false);
            }
            var snapshots = await filter.Filter(result).SelectAsync(repo, result.GetValue(ids) ?? [], ct).ConfigureAwait(false);
            var collector = new SnapshotStatsCollector(repo, statsMode);
            foreach (var snapshot in snapshots)
            {
                await collector.AddAsync(snapshot, ct).ConfigureAwait(false);
            }
            var totals = collector.Totals();
            if (settings.Json)
            {
                var blobs = totals.TotalBlobCount > 0 ? $"\"total_blob_count\":{totals.TotalBlobCount}," : "";
                await output.WriteAsync($"{{\"total_size\":{totals.TotalSize},\"total_file_count\":{totals.TotalFileCount},{blobs}\"snapshots_count\":{totals.SnapshotsCount}}}\n").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            var text = $"Stats in {modeName} mode:\n" + $"Snapshots processed:   {totals.SnapshotsCount}\n";
            if (totals.TotalBlobCount > 0)
            {
                text += $"   Total Blob Count:   {totals.TotalBlobCount}\n";
            }
            if (totals.TotalFileCount > 0)
            {
                text += $"   Total File Count:   {totals.TotalFileCount}\n";
            }
            text += $"         Total Size:   {ByteSize.Format(totals.TotalSize),-5}\n";
            await output.WriteAsync(text).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
