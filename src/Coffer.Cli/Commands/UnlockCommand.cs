using System.CommandLine;
using Coffer.Core.Repository;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer unlock</c>: remove stale locks (or all locks with <c>--remove-all</c>).</summary>
internal static class UnlockCommand
{
    public static Command Create(CommandEnv env)
    {
        var all = new Option<bool>("--remove-all") { Description = "remove all locks, even non-stale ones" };
        var command = new Command("unlock", "Remove locks other processes created") { all };
        env.BindWithRepository(command, LockMode.None, async (result, settings, session, ct) =>
        {
            await RepositoryLock.RemoveAsync(session.Repository, result.GetValue(all), ct).ConfigureAwait(false);
            if (!settings.Quiet && !settings.Json)
            {
                env.Console.Out.WriteLine("successfully removed locks");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
