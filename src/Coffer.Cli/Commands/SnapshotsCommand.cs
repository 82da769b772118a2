using System.CommandLine;
using System.Text;
using Coffer.Core.Model;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer snapshots</c>: list snapshots as a table or JSON, optionally grouped.</summary>
internal static class SnapshotsCommand
{
    public static Command Create(CommandEnv env)
    {
        var filter = new SnapshotOptions();
        var ids = new Argument<string[]>("snapshot ID") { Arity = ArgumentArity.ZeroOrMore, Description = "snapshots to show (ids, prefixes or 'latest'); all when none" };
        var compact = new Option<bool>("--compact", "-c") { Description = "use compact output format" };
        var latest = new Option<int>("--latest") { Description = "only show the last n snapshots for each host and path" };
        var groupBy = new Option<string?>("--group-by", "-g") { Description = "group snapshots by host, paths and/or tags, separated by comma" };
        var command = new Command("snapshots", "List all snapshots") { ids, compact, latest, groupBy };
        filter.AddTo(command);
        env.BindWithRepository(command, LockMode.Shared, async (result, settings, session, ct) =>
        {
            var list = await filter.Filter(result).SelectAsync(session.Repository, result.GetValue(ids) ?? [], ct).ConfigureAwait(false);
            var n = result.GetValue(latest);
            if (n > 0)
            {
                list = list.GroupBy(s => s.Hostname + "\0" + string.Join('\0', s.Paths.Order(StringComparer.Ordinal)))
                    .SelectMany(g => g.TakeLast(n)).OrderBy(s => s.Time).ToList();
            }
            var groups = SnapshotGroups.Group(list, result.GetValue(groupBy));
            var output = env.Console.Out;
            if (settings.Json)
            {
                if (groups.IsGrouped)
                {
                    output.WriteLine("[" + string.Join(",", groups.Groups.Select(g => $"{{\"group_key\":{g.KeyJson},\"snapshots\":{SnapshotJson.Array(g.Snapshots)}}}")) + "]");
                }
                else
                {
                    output.WriteLine(SnapshotJson.Array(list));
                }
                return ExitCodes.Ok;
            }
            var first = true;
            foreach (var group in groups.Groups)
            {
                if (!first)
                {
                    output.WriteLine();
                }
                first = false;
                if (groups.IsGrouped)
                {
                    output.WriteLine($"snapshots for ({group.Description}):");
                }
                SnapshotTable.Write(output, group.Snapshots, result.GetValue(compact), env.Console.TimeZone);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
