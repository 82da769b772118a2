using System.CommandLine;
using Coffer.Core.Maintenance;
using Coffer.Core.Primitives;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer tag</c>: add, remove or set tags of snapshots (each changed snapshot is rewritten).</summary>
internal static class TagCommand
{
    public static Command Create(CommandEnv env)
    {
        var filter = new SnapshotOptions();
        var ids = new Argument<string[]>("snapshot ID") { Arity = ArgumentArity.ZeroOrMore, Description = "snapshots to change (ids, prefixes or 'latest'); all matching the filters when none" };
        var set = new Option<string[]>("--set") { Description = "tags which will replace the existing tags in the format `tag[,tag,...]` (can be given multiple times; '' removes all tags)" };
        var add = new Option<string[]>("--add") { Description = "tags which will be added to the existing tags in the format `tag[,tag,...]` (can be given multiple times)" };
        var remove = new Option<string[]>("--remove") { Description = "tags which will be removed from the existing tags in the format `tag[,tag,...]` (can be given multiple times)" };
        var command = new Command("tag", "Modify tags on snapshots") { ids, set, add, remove };
        filter.AddTo(command);
        env.BindWithRepository(command, result =>
        {
            // Checked before the repository is opened or locked.
            var setValues = result.GetValue(set) ?? [];
            var addValues = result.GetValue(add) ?? [];
            var removeValues = result.GetValue(remove) ?? [];
            if (setValues.Length == 0 && addValues.Length == 0 && removeValues.Length == 0)
            {
                throw new CofferException("nothing to do!", "give --add, --remove or --set");
            }
            if (setValues.Length != 0 && (addValues.Length != 0 || removeValues.Length != 0))
            {
                throw new CofferException("--set and --add/--remove cannot be given at the same time");
            }
            return LockMode.Exclusive;
        }, async (result, settings, session, ct) =>
        {
            var setValues = result.GetValue(set) ?? [];
            var change = new TagChange
            {
                Set = setValues.Length > 0 ? Flatten(setValues) : null,
                Add = Flatten(result.GetValue(add) ?? []),
                Remove = Flatten(result.GetValue(remove) ?? []),
            };
            var snapshots = await filter.Filter(result).SelectAsync(session.Repository, result.GetValue(ids) ?? [], ct).ConfigureAwait(false);
            var changed = await SnapshotTagger.RetagAsync(session.Repository, snapshots, change, ct).ConfigureAwait(false);
            if (!settings.Quiet && !settings.Json)
            {
                env.Console.Out.WriteLine(changed.Count == 0 ? "no snapshots were modified" : $"modified tags on {changed.Count} snapshots");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Tag values as restic reads them: comma-separated, trimmed, empty ones dropped.</summary>
    private static List<string> Flatten(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split(',')).Select(t => t.Trim()).Where(t => t.Length > 0).ToList();
}
