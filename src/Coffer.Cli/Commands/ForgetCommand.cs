using System.CommandLine;
using System.Diagnostics;
using Coffer.Core.Maintenance;
using Coffer.Core.Primitives;
using Coffer.Core.Retention;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer forget</c>: remove snapshots by id or by restic's keep policy, per group.</summary>
internal static class ForgetCommand
{
    public static Command Create(CommandEnv env)
    {
        var filter = new SnapshotOptions(hostShortAlias: false);
        var ids = new Argument<string[]>("snapshot ID") { Arity = ArgumentArity.ZeroOrMore, Description = "snapshots to remove (ids, prefixes or 'latest'); the policy is not applied then" };
        var policy = new ForgetPolicyOptions();
        var compact = new Option<bool>("--compact", "-c") { Description = "use compact output format" };
        var groupBy = new Option<string>("--group-by", "-g") { Description = "group snapshots by host, paths and/or tags, separated by comma (disable grouping with '')", DefaultValueFactory = _ => "host,paths" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "do not delete anything, just print what would be done" };
        var prune = new Option<bool>("--prune") { Description = "automatically run the 'prune' command if snapshots have been removed" };
        var pruneFlags = new PruneFlags();
        var force = new Option<bool>("--force") { Description = "allow the policy to remove every snapshot of a group" };
        var command = new Command("forget", "Remove snapshots from the repository") { ids };
        policy.AddTo(command);
        filter.AddTo(command);
        pruneFlags.AddTo(command);
        foreach (var o in new Option[] { compact, groupBy, dryRun, prune, force })
        {
            command.Options.Add(o);
        }
        env.BindWithRepository(command, result =>
        {
            // Checked before the repository is opened, so nothing can have been removed yet.
            var isDryRun = result.GetValue(dryRun);
            if (env.SettingsOf(result).NoLock && !isDryRun)
            {
                throw new CofferException("--no-lock is only applicable in combination with --dry-run for forget command");
            }
            if (result.GetValue(prune))
            {
                pruneFlags.Build(result, env.SettingsOf(result), isDryRun);
            }
            return isDryRun ? LockMode.Shared : LockMode.Exclusive;
        }, async (result, settings, session, ct) =>
        {
            var request = new ForgetRequest
            {
                Filter = filter.Filter(result),
                SnapshotReferences = result.GetValue(ids) ?? [],
                Policy = policy.Build(result),
                GroupBy = GroupBy.Parse(result.GetValue(groupBy)),
                AllowEmptyGroups = result.GetValue(force),
            };
            var plan = await ForgetPlanner.PlanAsync(session.Repository, request, ct).ConfigureAwait(false);
            var output = env.Console.Out;
            var text = !settings.Json && !settings.Quiet;
            if (!plan.IsExplicit && text)
            {
                output.WriteLine(plan.Policy.IsEmpty ? "no policy was specified, no snapshots will be removed" : $"Applying Policy: {plan.Policy.Describe()}");
            }
            if (text)
            {
                ForgetOutput.WriteGroups(output, plan, result.GetValue(compact), env.Console.TimeZone);
            }
            var remove = plan.RemoveIds;
            if (remove.Count > 0)
            {
                if (result.GetValue(dryRun))
                {
                    if (!settings.Json)
                    {
                        output.WriteLine($"Would have removed the following snapshots:\n{{{string.Join(' ', remove.Select(id => id.ToShortString()))}}}\n");
                    }
                }
                else
                {
                    var watch = Stopwatch.StartNew();
                    var removed = await SnapshotRemover.RemoveAsync(session.Repository, remove, null, ct).ConfigureAwait(false);
                    if (text)
                    {
                        output.WriteLine($"[{(int)watch.Elapsed.TotalMinutes}:{watch.Elapsed.Seconds:00}] 100.00%  {removed} / {remove.Count} files deleted");
                    }
                }
            }
            if (settings.Json && plan.Groups.Count > 0)
            {
                output.WriteLine(ForgetOutput.Json(plan, request.GroupBy));
            }
            if (remove.Count > 0 && result.GetValue(prune))
            {
                if (text)
                {
                    output.WriteLine($"{remove.Count} snapshots have been removed, running prune");
                }
                var isDryRun = result.GetValue(dryRun);
                var options = pruneFlags.Build(result, settings, isDryRun) with { IgnoreSnapshots = isDryRun ? remove.ToHashSet() : new HashSet<SnapshotId>() };
                return await PruneRunner.RunAsync(env, settings, session.Repository, options, ct).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Parses a <c>--keep-within*</c> value as restic does, or fails with the flag's name.</summary>
    internal static RetentionDuration ParseDuration(string? value, string flag)
    {
        try
        {
            return RetentionDuration.Parse(value ?? "");
        }
        catch (FormatException e)
        {
            throw new CofferException($"invalid argument \"{value}\" for \"{flag}\" flag: {e.Message}", "a duration is like 1y5m7d2h (years, months, days, hours)");
        }
    }
}
