using System.CommandLine;
using System.Diagnostics;
using Coffer.Cli.Rendering;
using Coffer.Core.Archiver.Filters;
using Coffer.Core.Primitives;
using Coffer.Core.Restorer;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer restore SNAPSHOT[:SUBPATH] --target DIR</c>: bring back a snapshot, a directory or a file.</summary>
internal static class RestoreCommand
{
    public static Command Create(CommandEnv env)
    {
        var filter = new SnapshotOptions();
        var snapshot = new Argument<string?>("snapshotID") { Arity = ArgumentArity.ZeroOrOne, Description = "snapshot id, prefix or 'latest', optionally followed by :SUBPATH" };
        var target = new Option<string?>("--target", "-t") { Description = "directory to extract data to" };
        var include = new Option<string[]>("--include", "-i") { Description = "include a pattern (can be specified multiple times)" };
        var iinclude = new Option<string[]>("--iinclude") { Description = "same as --include pattern but ignores the casing of filenames" };
        var includeFile = new Option<string[]>("--include-file") { Description = "read include patterns from a file (can be specified multiple times)" };
        var iincludeFile = new Option<string[]>("--iinclude-file") { Description = "same as --include-file but ignores casing of filenames in patterns" };
        var exclude = new Option<string[]>("--exclude", "-e") { Description = "exclude a pattern (can be specified multiple times)" };
        var iexclude = new Option<string[]>("--iexclude") { Description = "same as --exclude pattern but ignores the casing of filenames" };
        var excludeFile = new Option<string[]>("--exclude-file") { Description = "read exclude patterns from a file (can be specified multiple times)" };
        var iexcludeFile = new Option<string[]>("--iexclude-file") { Description = "same as --exclude-file but ignores casing of filenames in patterns" };
        var sparse = new Option<bool>("--sparse") { Description = "restore files as sparse" };
        var overwrite = new Option<string>("--overwrite") { Description = "overwrite behavior, one of (always|if-changed|if-newer|never)", DefaultValueFactory = _ => "always" };
        var delete = new Option<bool>("--delete") { Description = "delete files from target directory if they do not exist in snapshot" };
        var dryRun = new Option<bool>("--dry-run") { Description = "do not write any data, just show what would be done" };
        var verify = new Option<bool>("--verify") { Description = "verify restored files content" };
        var ownerByName = new Option<bool>("--owner-by-name") { Description = "set owners by user and group name where this machine knows them (else by id)" };
        var command = new Command("restore", "Extract the data from a snapshot")
        {
            snapshot, target, include, iinclude, includeFile, iincludeFile, exclude, iexclude, excludeFile, iexcludeFile,
            sparse, overwrite, delete, dryRun, verify, ownerByName,
        };
        filter.AddTo(command);
        env.Bind(command, async (result, settings, ct) =>
        {
            var console = env.Console;
            var reference = result.GetValue(snapshot);
            if (string.IsNullOrEmpty(reference))
            {
                throw new CofferException("no snapshot ID specified", "give a snapshot id or 'latest'");
            }
            var targetDir = result.GetValue(target);
            if (string.IsNullOrEmpty(targetDir))
            {
                throw new CofferException("please specify a directory to restore to (--target)");
            }
            var mode = ParseOverwrite(result.GetValue(overwrite)!);
            var selector = BuildSelector(result, console.GetEnvironmentVariable, include, iinclude, includeFile, iincludeFile, exclude, iexclude, excludeFile, iexcludeFile);
            var colon = reference.IndexOf(':', StringComparison.Ordinal);
            var subpath = colon >= 0 ? reference[(colon + 1)..] : null;
            var snapshotRef = colon >= 0 ? reference[..colon] : reference;

            // Taking the lock (writing it, the settle delay, the second look) overlaps with reading the snapshot,
            // index and root tree; nothing is written before the lock is confirmed.
            await using var session = await Session.OpenDeferringLockCheckAsync(settings, console, LockMode.Shared, ct).ConfigureAwait(false);
            var repo = session.Repository;
            var snap = await filter.Filter(result).FindAsync(repo, snapshotRef, ct).ConfigureAwait(false);
            await repo.LoadIndexAsync(ct).ConfigureAwait(false);
            var root = await SnapshotRestorer.LoadRootAsync(repo, snap.Tree, subpath, ct).ConfigureAwait(false);
            await session.ConfirmLockAsync().ConfigureAwait(false);
            using var linked = session.Lock is null ? null : CancellationTokenSource.CreateLinkedTokenSource(ct, session.Lock.Lost);
            var token = linked?.Token ?? ct;
            var options = new RestoreOptions
            {
                Target = targetDir,
                Selector = selector,
                Sparse = result.GetValue(sparse),
                Overwrite = mode,
                Delete = result.GetValue(delete),
                DryRun = result.GetValue(dryRun),
                Verify = result.GetValue(verify),
                OwnerByName = result.GetValue(ownerByName),
            };
            if (!settings.Json && !settings.Quiet)
            {
                console.Out.WriteLine($"restoring snapshot {snap.Id!.Value.ToShortString()} of [{string.Join(" ", snap.Paths)}] at {GoTimeDisplay.Long(snap.Time, console.TimeZone)} by {snap.Username}@{snap.Hostname} to {targetDir}");
            }
            using var view = new RestoreProgressView(console.Out, console.Error, settings.Json, console.IsOutputTerminal, settings.Quiet, settings.Verbose, TimeSpan.FromSeconds(10));
            var started = Stopwatch.StartNew();
            var summary = await SnapshotRestorer.RestoreAsync(repo, root, options, view, token).ConfigureAwait(false);
            view.Finish(summary, started.Elapsed);
            if (summary.Errors > 0)
            {
                console.Error.WriteLine($"Fatal: There were {summary.Errors} errors");
                return ExitCodes.Fatal;
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static OverwriteMode ParseOverwrite(string text) => text switch
    {
        "always" => OverwriteMode.Always,
        "if-changed" => OverwriteMode.IfChanged,
        "if-newer" => OverwriteMode.IfNewer,
        "never" => OverwriteMode.Never,
        _ => throw new CofferException($"invalid overwrite behavior \"{text}\"", "use always, if-changed, if-newer or never"),
    };

    private static RestoreSelector BuildSelector(ParseResult result, Func<string, string?> environment, params Option<string[]>[] options)
    {
        // Order: include, iinclude, include-file, iinclude-file, exclude, iexclude, exclude-file, iexclude-file.
        List<string> Values(int i, int file) =>
        [
            .. result.GetValue(options[i]) ?? [],
            .. (result.GetValue(options[file]) ?? []).SelectMany(f => PatternFile.Read(f, environment)),
        ];
        try
        {
            return RestoreSelector.Create(Values(0, 2), Values(1, 3), Values(4, 6), Values(5, 7));
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            throw new CofferException(e.Message);
        }
    }
}
