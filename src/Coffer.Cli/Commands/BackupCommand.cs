using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Coffer.Cli.Rendering;
using Coffer.Core.Archiver;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer backup PATH...</c>: store a snapshot of files and directories (or of stdin).</summary>
internal static class BackupCommand
{
    public static Command Create(CommandEnv env)
    {
        var paths = new Argument<string[]>("PATH") { Arity = ArgumentArity.ZeroOrMore, Description = "files and directories to back up" };
        var tag = new Option<string[]>("--tag") { Description = "add tags for the new snapshot in the format `tag[,tag,...]` (can be specified multiple times)" };
        var host = new Option<string?>("--host", "-H") { Description = "set the hostname for the snapshot manually (default: $COFFER_HOST, $RESTIC_HOST, else the machine's name)" };
        var time = new Option<string?>("--time") { Description = "time of the backup (ex. '2012-11-01 22:08:41') (default: now)" };
        var parent = new Option<string?>("--parent") { Description = "use this parent snapshot (default: latest snapshot of the same host and paths)" };
        var force = new Option<bool>("--force", "-f") { Description = "force re-reading the target files/directories (overrides the parent)" };
        var ignoreInode = new Option<bool>("--ignore-inode") { Description = "ignore inode number and ctime changes when checking for modified files" };
        var ignoreCtime = new Option<bool>("--ignore-ctime") { Description = "ignore ctime changes when checking for modified files" };
        var skipIfUnchanged = new Option<bool>("--skip-if-unchanged") { Description = "skip snapshot creation if identical to the parent snapshot" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "do not upload or write any data, just show what would be done" };
        var oneFs = new Option<bool>("--one-file-system", "-x") { Description = "exclude other file systems, don't cross filesystem boundaries" };
        var readConcurrency = new Option<int>("--read-concurrency") { Description = "read n files concurrently (default: $COFFER_READ_CONCURRENCY or 2)" };
        var packSize = new Option<int>("--pack-size") { Description = "set target pack size in MiB (4–128; default: $COFFER_PACK_SIZE, $RESTIC_PACK_SIZE or 16)" };
        var withAtime = new Option<bool>("--with-atime") { Description = "store the atime for all files and directories" };
        var stdin = new Option<bool>("--stdin") { Description = "read backup from stdin" };
        var stdinFilename = new Option<string>("--stdin-filename") { Description = "filename to use when reading from stdin", DefaultValueFactory = _ => "stdin" };
        var stdinFromCommand = new Option<bool>("--stdin-from-command") { Description = "interpret arguments as a command to execute and store its stdout" };
        var filters = new FilterOptions();
        var command = new Command("backup", "Create a new backup of files and/or directories")
        {
            paths, tag, host, time, parent, force, ignoreInode, ignoreCtime, skipIfUnchanged, dryRun, oneFs, readConcurrency, packSize, withAtime,
            stdin, stdinFilename, stdinFromCommand,
        };
        filters.AddTo(command);
        env.BindWithRepository(command, LockMode.Shared, async (result, settings, session, ct) =>
        {
            var console = env.Console;
            var repo = session.Repository;
            string? Env(string name) => console.GetEnvironmentVariable("COFFER_" + name) ?? console.GetEnvironmentVariable("RESTIC_" + name);
            var targets = (result.GetValue(paths) ?? []).ToList();
            targets.AddRange(filters.FilesFrom(result));
            var fromCommand = result.GetValue(stdinFromCommand);
            if (!result.GetValue(stdin) && !fromCommand && targets.Count == 0)
            {
                throw new CofferException("nothing to backup, please specify target files/dirs");
            }
            var packMiB = result.GetValue(packSize) is > 0 and var p ? p : int.TryParse(Env("PACK_SIZE"), out var e) ? e : 16;
            if (packMiB is < PackLayout.MinPackSizeMiB or > PackLayout.MaxPackSizeMiB)
            {
                throw new CofferException($"pack size {packMiB} MiB is out of range", "use --pack-size between 4 and 128");
            }
            var concurrency = result.GetValue(readConcurrency) is > 0 and var c ? c : int.TryParse(Env("READ_CONCURRENCY"), out var rc) && rc > 0 ? rc : 2;
            Process? child = null;
            StdinSource? stdinSource = null;
            if (fromCommand)
            {
                if (targets.Count == 0)
                {
                    throw new CofferException("--stdin-from-command needs a command to run");
                }
                var psi = new ProcessStartInfo(targets[0]) { RedirectStandardOutput = true, UseShellExecute = false };
                foreach (var a in targets.Skip(1))
                {
                    psi.ArgumentList.Add(a);
                }
                child = Process.Start(psi) ?? throw new CofferException($"cannot start {targets[0]}");
                stdinSource = new StdinSource(new CommandOutputStream(child, targets[0]), result.GetValue(stdinFilename)!);
                targets.Clear();
            }
            else if (result.GetValue(stdin))
            {
                stdinSource = new StdinSource(console.OpenBinaryIn(), result.GetValue(stdinFilename)!);
            }
            var excludePatterns = filters.Patterns(result);
            var options = new BackupOptions
            {
                Targets = targets,
                Hostname = result.GetValue(host) ?? Env("HOST") ?? Environment.MachineName,
                Tags = (result.GetValue(tag) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries)).Distinct().ToList(),
                Time = result.GetValue(time) is { } t ? ParseTime(t, console.TimeZone) : null,
                Parent = result.GetValue(parent) is { } par ? new SnapshotId(await repo.ResolvePrefixAsync(Coffer.Storage.FileType.Snapshot, par, ct).ConfigureAwait(false)) : null,
                Force = result.GetValue(force),
                IgnoreInode = result.GetValue(ignoreInode),
                IgnoreCtime = result.GetValue(ignoreCtime),
                SkipIfUnchanged = result.GetValue(skipIfUnchanged),
                DryRun = result.GetValue(dryRun),
                OneFileSystem = result.GetValue(oneFs),
                ReadConcurrency = concurrency,
                PackSize = packMiB * 1024 * 1024,
                Compression = repo.Compression,
                Filter = filters.Build(result, console.GetEnvironmentVariable),
                ExcludePatterns = excludePatterns,
                Stdin = stdinSource,
                WithAtime = result.GetValue(withAtime),
                // --quiet shows no progress, so the second walk that only feeds its totals is skipped.
                ScanTotals = settings.Json || !settings.Quiet,
            };
            using var view = new BackupProgressView(console.Out, console.Error, settings.Json, console.IsOutputTerminal, settings.Quiet, TimeSpan.FromSeconds(10));
            var started = Stopwatch.StartNew();
            BackupSummary summary;
            try
            {
                // With --stdin-from-command, the command's exit code is checked when its output ends, before the snapshot is written.
                summary = await new SnapshotArchiver(repo, options, view).RunAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                view.Finish();
                if (child is not null)
                {
                    if (!child.HasExited)
                    {
                        child.Kill(entireProcessTree: true);
                    }
                    child.Dispose();
                }
            }
            WriteSummary(console, settings, summary, started.Elapsed, options.DryRun);
            return summary.Errors > 0 ? ExitCodes.BackupIncomplete : ExitCodes.Ok;
        });
        return command;
    }

    private static GoTime ParseTime(string text, TimeZoneInfo zone)
    {
        if (DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"], System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var local))
        {
            return GoTime.FromDateTimeOffset(new DateTimeOffset(local, zone.GetUtcOffset(local)));
        }
        return GoTime.TryParse(text, out var exact) ? exact : throw new CofferException($"unable to parse time: \"{text}\"", "use the form '2012-11-01 22:08:41'");
    }

    private static void WriteSummary(CliConsole console, Settings settings, BackupSummary s, TimeSpan elapsed, bool dryRun)
    {
        if (settings.Json)
        {
            var summary = new Dictionary<string, object?>
            {
                ["message_type"] = "summary",
                ["dry_run"] = dryRun ? true : null,
                ["files_new"] = s.FilesNew,
                ["files_changed"] = s.FilesChanged,
                ["files_unmodified"] = s.FilesUnmodified,
                ["dirs_new"] = s.DirsNew,
                ["dirs_changed"] = s.DirsChanged,
                ["dirs_unmodified"] = s.DirsUnmodified,
                ["data_blobs"] = s.DataBlobs,
                ["tree_blobs"] = s.TreeBlobs,
                ["data_added"] = s.DataAdded,
                ["data_added_packed"] = s.DataAddedPacked,
                ["total_files_processed"] = s.TotalFilesProcessed,
                ["total_bytes_processed"] = s.TotalBytesProcessed,
                ["total_duration"] = elapsed.TotalSeconds,
                ["backup_start"] = s.BackupStart.ToString(),
                ["backup_end"] = s.BackupEnd.ToString(),
                ["snapshot_id"] = s.SnapshotId?.ToString(),
            };
            console.Out.WriteLine(JsonSerializer.Serialize(summary.Where(kv => kv.Value is not null).ToDictionary()));
            return;
        }
        if (settings.Quiet)
        {
            return;
        }
        var o = console.Out;
        o.WriteLine(s.Parent is { } par ? $"using parent snapshot {par.ToShortString()}" : "no parent snapshot found, will read all files");
        o.WriteLine();
        o.WriteLine($"Files:       {s.FilesNew,5} new, {s.FilesChanged,5} changed, {s.FilesUnmodified,5} unmodified");
        o.WriteLine($"Dirs:        {s.DirsNew,5} new, {s.DirsChanged,5} changed, {s.DirsUnmodified,5} unmodified");
        o.WriteLine($"{(dryRun ? "Would add" : "Added")} to the repository: {ByteSize.Format(s.DataAdded)} ({ByteSize.Format(s.DataAddedPacked)} stored)");
        o.WriteLine();
        o.WriteLine($"processed {s.TotalFilesProcessed} files, {ByteSize.Format(s.TotalBytesProcessed)} in {ByteSize.Duration(elapsed)}");
        if (s.SkippedUnchanged)
        {
            o.WriteLine("skipped creating snapshot: nothing changed since the parent");
        }
        else if (s.SnapshotId is { } id)
        {
            o.WriteLine($"snapshot {id.ToShortString()} saved");
        }
        if (s.Errors > 0)
        {
            console.Error.WriteLine("Warning: at least one source file could not be read");
        }
    }
}
