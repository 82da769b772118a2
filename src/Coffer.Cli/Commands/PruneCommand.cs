using System.CommandLine;
using Coffer.Core.Primitives;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer prune</c>: remove data no snapshot uses and repack partly used packs.</summary>
internal static class PruneCommand
{
    public static Command Create(CommandEnv env)
    {
        var flags = new PruneFlags();
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "do not modify the repository, just print what would be done" };
        var command = new Command("prune", "Remove unneeded data from the repository") { dryRun };
        flags.AddTo(command);
        env.BindWithRepository(command, result =>
        {
            var settings = env.SettingsOf(result);
            var isDryRun = result.GetValue(dryRun);
            if (settings.NoLock && !isDryRun)
            {
                throw new CofferException("--no-lock is only applicable in combination with --dry-run for prune command");
            }
            flags.Build(result, settings, isDryRun);
            return isDryRun ? LockMode.Shared : LockMode.Exclusive;
        }, (result, settings, session, ct) =>
            PruneRunner.RunAsync(env, settings, session.Repository, flags.Build(result, settings, result.GetValue(dryRun)), ct));
        return command;
    }
}
