using System.CommandLine;
using Coffer.Cli.Rendering;
using Coffer.Core.Maintenance;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer copy</c>: copy snapshots from the source repository (<c>--from-repo</c>) into the main one (<c>-r</c>).
/// Both are locked shared (the source not with <c>--no-lock</c>); snapshots copied before are skipped.
/// </summary>
internal static class CopyCommand
{
    public static Command Create(CommandEnv env)
    {
        var from = new SourceRepositoryOptions("to copy snapshots from");
        var filter = new SnapshotOptions();
        var ids = new Argument<string[]>("snapshot ID") { Arity = ArgumentArity.ZeroOrMore, Description = "snapshots to copy (ids, prefixes or 'latest'); all matching the filters when none" };
        var packSize = new Option<int>("--pack-size") { Description = "set target pack size in MiB for the destination (4–128; default: $COFFER_PACK_SIZE, $RESTIC_PACK_SIZE or 16)" };
        var command = new Command("copy", "Copy snapshots from one repository to another")
        {
            ids, packSize,
        };
        command.Description += "\n\nEvery blob the destination lacks is read from the source, decrypted and encrypted again with the destination's key. "
            + "Files are not cut again: unless the destination was created with 'init --from-repo ... --copy-chunker-params', "
            + "copied data and new backups of the same files do not deduplicate.";
        from.AddTo(command);
        filter.AddTo(command);
        env.Bind(command, async (result, settings, ct) =>
        {
            var console = env.Console;
            string? Env(string name) => console.GetEnvironmentVariable("COFFER_" + name) is { Length: > 0 } v ? v : console.GetEnvironmentVariable("RESTIC_" + name);
            var packMiB = result.GetValue(packSize) is > 0 and var p ? p : int.TryParse(Env("PACK_SIZE"), out var e) ? e : 16;
            if (packMiB is < PackLayout.MinPackSizeMiB or > PackLayout.MaxPackSizeMiB)
            {
                throw new CofferException($"pack size {packMiB} MiB is out of range", "use --pack-size between 4 and 128");
            }
            var sourceAccess = from.Access(result, console);
            await using var source = await Session.OpenAsync(sourceAccess, null, settings.NoLock, console, LockMode.Shared, ct, settings.CacheDirectory).ConfigureAwait(false);
            // The destination is always locked: --no-lock only ever applies to a repository that is just read.
            await using var destination = await Session.OpenAsync(RepositoryAccess.Primary(settings), settings.Compression, noLock: false, console, LockMode.Shared, ct, settings.CacheDirectory).ConfigureAwait(false);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, source.Lock?.Lost ?? CancellationToken.None, destination.Lock?.Lost ?? CancellationToken.None);
            var token = linked.Token;

            var view = new CopyView(console.Out, console.TimeZone, settings.Quiet, settings.Verbose, settings.Json, console.IsOutputTerminal);
            var options = new CopyOptions
            {
                Upload = new UploadOptions { PackSize = packMiB * 1024 * 1024, Compression = destination.Repository.Compression },
            };
            var copier = new SnapshotCopier(source.Repository, destination.Repository, options, view);
            if (!copier.SameChunker && !settings.Quiet)
            {
                console.Error.WriteLine("Warning: the source and destination repositories use different chunker parameters, so copied data will not deduplicate "
                    + "with data backed up directly into the destination; to avoid this, create the destination with 'init --from-repo <source> --copy-chunker-params'");
            }
            var snapshots = await filter.Filter(result).SelectAsync(source.Repository, result.GetValue(ids) ?? [], token).ConfigureAwait(false);
            var summary = await copier.CopyAsync(snapshots, token).ConfigureAwait(false);
            view.Finish(summary);
            return ExitCodes.Ok;
        });
        return command;
    }
}
