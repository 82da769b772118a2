using System.CommandLine;
using Coffer.Cli.Rendering;
using Coffer.Core.Model;
using Coffer.Core.Repository;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer ls SNAPSHOT [DIR...]</c>: list the files of a snapshot; with directories, only those
/// directories and their direct children (everything below them with <c>--recursive</c>).
/// </summary>
internal static class LsCommand
{
    public static Command Create(CommandEnv env)
    {
        var filter = new SnapshotOptions();
        var snapshot = new Argument<string>("snapshotID") { Description = "snapshot id, prefix or 'latest'" };
        var dirs = new Argument<string[]>("dir") { Arity = ArgumentArity.ZeroOrMore, Description = "only list these directories (absolute paths inside the snapshot)" };
        var longFormat = new Option<bool>("--long", "-l") { Description = "use a long listing format showing size and mode" };
        var recursive = new Option<bool>("--recursive") { Description = "include files in subfolders of the listed directories" };
        var command = new Command("ls", "List files in a snapshot") { snapshot, dirs, longFormat, recursive };
        filter.AddTo(command);
        env.BindWithRepository(command, LockMode.Shared, async (result, settings, session, ct) =>
        {
            var repo = session.Repository;
            var snap = await filter.Filter(result).FindAsync(repo, result.GetValue(snapshot)!, ct).ConfigureAwait(false);
            await repo.LoadIndexAsync(ct).ConfigureAwait(false);
            var zone = env.Console.TimeZone;
            var prefixes = (result.GetValue(dirs) ?? []).Select(d => "/" + d.Trim('/')).Select(d => d == "/" ? "" : d).ToList();
            var all = prefixes.Count == 0 || prefixes.Contains("");
            var deep = result.GetValue(recursive) || all;
            await env.Console.Out.FlushAsync(ct).ConfigureAwait(false);
            var output = new BufferedStream(env.Console.OpenBinaryOut(), 1 << 16);
            void Line(byte[] bytes)
            {
                output.Write(bytes);
                output.WriteByte((byte)'\n');
            }
            if (settings.Json)
            {
                Line(NodeJsonLines.FormatSnapshot(snap));
            }
            else if (!settings.Quiet)
            {
                var filtered = string.Join(" ", prefixes.Select(p => p.Length == 0 ? "/" : p));
                Line(System.Text.Encoding.UTF8.GetBytes(
                    $"snapshot {snap.Id!.Value.ToShortString()} of [{string.Join(" ", snap.Paths)}] filtered by [{filtered}] at {GoTimeDisplay.Long(snap.Time, zone)}):"));
            }
            bool Within(string path) => all || prefixes.Any(p => path == p || path.StartsWith(p + "/", StringComparison.Ordinal));
            bool Shown(string path)
            {
                if (all)
                {
                    return true;
                }
                foreach (var p in prefixes)
                {
                    if (path == p)
                    {
                        return true;
                    }
                    if (path.StartsWith(p + "/", StringComparison.Ordinal) && (deep || path.IndexOf('/', p.Length + 1) < 0))
                    {
                        return true;
                    }
                }
                return false;
            }
            bool Descend(string dir) => all || prefixes.Any(p => p.StartsWith(dir + "/", StringComparison.Ordinal)) || (Within(dir) && (deep || prefixes.Contains(dir)));
            await foreach (var walked in TreeWalker.WalkAsync(repo, snap.Tree, Descend, ct).ConfigureAwait(false))
            {
                if (!Shown(walked.PathText))
                {
                    continue;
                }
                if (settings.Json)
                {
                    Line(NodeJsonLines.FormatNode(walked.Node, walked.Path, null));
                }
                else if (result.GetValue(longFormat))
                {
                    Line(NodeListing.FormatLong(walked.Node, walked.Path, zone));
                }
                else
                {
                    Line(walked.Path);
                }
            }
            await output.FlushAsync(ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
