using Coffer.Cli.Rendering;
using Coffer.Core.Maintenance;
using Coffer.Core.Repository;

namespace Coffer.Cli.Commands;

/// <summary>Plans, prints and carries out a prune (for <c>prune</c> and <c>forget --prune</c>).</summary>
internal static class PruneRunner
{
    public static async Task<int> RunAsync(CommandEnv env, Settings settings, Repository repository, PruneOptions options, CancellationToken cancellationToken)
    {
        var output = env.Console.Out;
        var view = new PruneView(output, env.Console.Error, settings.Quiet || settings.Json, settings.Verbose);
        var plan = await PrunePlanner.PlanAsync(repository, options, view, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            output.WriteLine(PruneView.Json(plan.Stats));
        }
        else if (!settings.Quiet)
        {
            if (options.DryRun)
            {
                output.WriteLine();
                output.WriteLine("Would have made the following changes:");
            }
            view.WriteStats(plan.Stats);
        }
        if (options.DryRun)
        {
            if (settings.Verbose && !settings.Json)
            {
                WriteIds(output, "Would have removed the following unreferenced packs:", plan.RemoveUnreferenced.Select(p => p.ToString()));
                WriteIds(output, "Would have repacked and removed the following packs:", plan.Repack.Select(p => p.ToString()));
                WriteIds(output, "Would have removed the following no longer used packs:", plan.Remove.Select(p => p.ToString()));
            }
            return ExitCodes.Ok;
        }
        // Warnings (a pack that could not be deleted) leave a valid repository: the next prune retries.
        await PruneExecutor.ExecuteAsync(repository, plan, options, view, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static void WriteIds(TextWriter output, string title, IEnumerable<string> ids)
    {
        output.WriteLine(title);
        output.WriteLine("{" + string.Join(' ', ids.Order(StringComparer.Ordinal)) + "}");
        output.WriteLine();
    }
}
