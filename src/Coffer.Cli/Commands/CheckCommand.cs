using System.CommandLine;
using Coffer.Cli.Rendering;
using Coffer.Core.Checker;
using Coffer.Core.Primitives;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer check</c>: verify the repository's structure and, on request, read and verify its data.</summary>
internal static class CheckCommand
{
    public static Command Create(CommandEnv env)
    {
        var readData = new Option<bool>("--read-data") { Description = "read all data blobs" };
        var readDataSubset = new Option<string?>("--read-data-subset") { Description = "read a subset of data packs, specified as 'n/t' for a specific part, or either 'x%' or 'x.y%' or a size in bytes with suffixes k/K, m/M, g/G, t/T for a random subset" };
        var checkUnused = new Option<bool>("--check-unused") { Description = "find unused blobs" };
        var command = new Command("check", "Check the repository for errors") { readData, readDataSubset, checkUnused };
        // A shared lock, as newer restic takes: check only reads, and a backup may run alongside (its packs not yet
        // indexed show up as unreferenced, which is a hint, not an error).
        env.BindWithRepository(command, LockMode.Shared, async (result, settings, session, ct) =>
        {
            var subsetText = result.GetValue(readDataSubset);
            if (result.GetValue(readData) && !string.IsNullOrEmpty(subsetText))
            {
                throw new CofferException("check flags --read-data and --read-data-subset cannot be used together");
            }
            var subset = result.GetValue(readData) ? ReadDataSubset.All
                : string.IsNullOrEmpty(subsetText) ? null
                : ReadDataSubset.Parse(subsetText);
            var options = new CheckOptions { ReadData = subset, CheckUnused = result.GetValue(checkUnused) };
            var console = env.Console;
            var view = new CheckView(console.Out, console.Error, settings.Quiet, settings.Verbose, console.IsOutputTerminal);
            var outcome = await RepositoryChecker.CheckAsync(session.Repository, options, view, ct).ConfigureAwait(false);
            view.Finish(outcome);
            return outcome.IsHealthy ? ExitCodes.Ok : ExitCodes.Fatal;
        });
        return command;
    }
}
