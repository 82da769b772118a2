using System.CommandLine;
using Coffer.Cli.Rendering;
using Coffer.Core.Maintenance;
using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer repair index|snapshots</c>: rebuild the index from the packs, or rewrite damaged snapshots without
/// what is lost. <c>rebuild-index</c> is a hidden alias of <c>repair index</c>, as in restic.
/// </summary>
internal static class RepairCommand
{
    public static Command Create(CommandEnv env)
    {
        var command = new Command("repair", "Repair the repository");
        command.Subcommands.Add(CreateIndex(env, "index"));
        command.Subcommands.Add(CreateSnapshots(env));
        return command;
    }

    /// <summary>The deprecated top-level name for <c>repair index</c>, not listed in help.</summary>
    public static Command CreateRebuildIndex(CommandEnv env)
    {
        var command = CreateIndex(env, "rebuild-index");
        command.Hidden = true;
        return command;
    }

    private static Command CreateIndex(CommandEnv env, string name)
    {
        var readAll = new Option<bool>("--read-all-packs") { Description = "read all pack files to generate new index from scratch" };
        var command = new Command(name, "Build a new index") { readAll };
        env.BindWithRepository(command, LockMode.Exclusive, async (result, settings, session, ct) =>
        {
            var console = env.Console;
            var view = new IndexRebuildView(console.Out, console.Error, settings.Quiet, console.IsOutputTerminal);
            var options = new IndexRebuildOptions { ReadAllPacks = result.GetValue(readAll) };
            var outcome = await IndexRebuilder.RebuildAsync(session.Repository, options, view, ct).ConfigureAwait(false);
            if (outcome.UnreadablePacks.Count > 0)
            {
                console.Error.WriteLine($"{outcome.UnreadablePacks.Count} pack files could not be read and were left out of the index; "
                    + "they stay in the repository until a prune deletes unreferenced pack files");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateSnapshots(CommandEnv env)
    {
        var filter = new SnapshotOptions();
        var ids = new Argument<string[]>("snapshot ID") { Arity = ArgumentArity.ZeroOrMore, Description = "snapshots to repair (ids, prefixes or 'latest'); all matching the filters when none" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "do not do anything, just print what would be done" };
        var forget = new Option<bool>("--forget") { Description = "remove original snapshots after creating new ones" };
        var command = new Command("snapshots", "Repair snapshots") { ids, dryRun, forget };
        filter.AddTo(command);
        env.BindWithRepository(command, result => result.GetValue(dryRun) ? LockMode.Shared : LockMode.Exclusive, async (result, settings, session, ct) =>
        {
            var repository = session.Repository;
            var options = new SnapshotRepairOptions { DryRun = result.GetValue(dryRun), Forget = result.GetValue(forget) };
            var output = settings.Quiet ? TextWriter.Null : env.Console.Out;
            var selection = await SnapshotRepairer.SelectAsync(repository, filter.Filter(result), result.GetValue(ids) ?? [], options, ct).ConfigureAwait(false);
            foreach (var id in selection.UnreadableRemoved)
            {
                output.WriteLine(options.DryRun ? $"would remove unreadable snapshot {id}" : $"removed unreadable snapshot {id}");
            }
            await repository.LoadIndexAsync(ct).ConfigureAwait(false);
            var repairs = await SnapshotRepairer.RepairAsync(repository, selection.Snapshots, options, r => Write(output, r, options, env.Console.TimeZone), ct).ConfigureAwait(false);
            var changed = selection.UnreadableRemoved.Count + repairs.Count(r => r.Outcome != SnapshotRepairOutcome.Unchanged);
            output.WriteLine();
            output.WriteLine((changed, options.DryRun) switch
            {
                (0, false) => "no snapshots were modified",
                (0, true) => "no snapshots would be modified",
                (_, false) => $"modified {changed} snapshots",
                _ => $"would modify {changed} snapshots",
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(TextWriter output, SnapshotRepair repair, SnapshotRepairOptions options, TimeZoneInfo zone)
    {
        var s = repair.Snapshot;
        output.WriteLine();
        output.WriteLine($"snapshot {s.Id!.Value.ToShortString()} of [{string.Join(" ", s.Paths)}] at {GoTimeDisplay.Long(s.Time, zone)} by {s.Username}@{s.Hostname}");
        foreach (var change in repair.Repairs)
        {
            var path = "\"" + System.Text.Encoding.UTF8.GetString(GoQuote.Quote(change.RawPath)) + "\"";
            output.WriteLine(change.Kind switch
            {
                NodeRepairKind.InvalidTypeRemoved => $"  file {path}: removed node with invalid type",
                NodeRepairKind.ContentRemoved => $"  file {path}: removed missing content",
                NodeRepairKind.SizeFixed => $"  file {path}: fixed incorrect size",
                NodeRepairKind.DirectoryEmptied => $"  dir {path}: replaced with empty directory",
                _ => $"  dir {path}: not readable",
            });
        }
        var oldId = s.Id.Value.ToShortString();
        switch (repair.Outcome)
        {
            case SnapshotRepairOutcome.RemovedEmpty:
                output.WriteLine(options.DryRun ? "would delete empty snapshot" : $"removed empty snapshot {oldId}");
                break;
            case SnapshotRepairOutcome.Rewritten when options.DryRun:
                output.WriteLine("would save new snapshot");
                if (options.Forget)
                {
                    output.WriteLine("would remove old snapshot");
                }
                break;
            case SnapshotRepairOutcome.Rewritten:
                output.WriteLine($"saved new snapshot {repair.NewId!.Value.ToShortString()}");
                if (repair.OriginalRemoved)
                {
                    output.WriteLine($"removed old snapshot {oldId}");
                }
                break;
        }
    }
}
