using System.CommandLine;
using System.Runtime.InteropServices;
using Coffer.Cli.Commands;
using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Cli;

/// <summary>The composition root: builds the command tree, runs it, and maps errors to exit codes.</summary>
internal static class CofferCli
{
    public static RootCommand Build(CommandEnv env)
    {
        var root = new RootCommand("Coffer: encrypted, deduplicated backups in restic's repository format.");
        env.Options.AddTo(root);
        root.Subcommands.Add(InitCommand.Create(env));
        root.Subcommands.Add(KeyCommand.Create(env));
        root.Subcommands.Add(BackupCommand.Create(env));
        root.Subcommands.Add(SnapshotsCommand.Create(env));
        root.Subcommands.Add(LsCommand.Create(env));
        root.Subcommands.Add(RestoreCommand.Create(env));
        root.Subcommands.Add(DumpCommand.Create(env));
        root.Subcommands.Add(FindCommand.Create(env));
        root.Subcommands.Add(DiffCommand.Create(env));
        root.Subcommands.Add(StatsCommand.Create(env));
        root.Subcommands.Add(CheckCommand.Create(env));
        root.Subcommands.Add(ForgetCommand.Create(env));
        root.Subcommands.Add(PruneCommand.Create(env));
        root.Subcommands.Add(TagCommand.Create(env));
        root.Subcommands.Add(CopyCommand.Create(env));
        root.Subcommands.Add(RepairCommand.Create(env));
        root.Subcommands.Add(RepairCommand.CreateRebuildIndex(env));
        root.Subcommands.Add(UnlockCommand.Create(env));
        root.Subcommands.Add(CatCommand.Create(env));
        root.Subcommands.Add(ListCommand.Create(env));
        root.Subcommands.Add(VersionCommand.Create(env));
        return root;
    }

    /// <summary>Runs one invocation; never throws. Ctrl-C and SIGTERM cancel <paramref name="cancellationToken"/>'s run.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var options = new GlobalOptions();
        var env = new CommandEnv(options, console);
        var root = Build(env);
        var parsed = root.Parse(args);
        var verbose = parsed.GetValue(options.Verbose);
        try
        {
            var config = new InvocationConfiguration
            {
                Output = console.Out,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return await parsed.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return Report(console, e, verbose, cancellationToken);
        }
    }

    private static int Report(CliConsole console, Exception e, bool verbose, CancellationToken cancellationToken)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } agg)
        {
            e = agg.InnerExceptions[0];
        }
        if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            console.Error.WriteLine("signal interrupt received, cleaning up");
            return ExitCodes.Interrupted;
        }
        var (code, message, hint) = e switch
        {
            RepositoryNotFoundException r => (ExitCodes.NoRepository, r.Message, r.Hint),
            WrongPasswordException w => (ExitCodes.WrongPassword, w.Message, w.Hint),
            RepositoryLockedException l => (ExitCodes.LockFailed, l.Message, l.Hint),
            LockFailedException l => (ExitCodes.LockFailed, l.Message, l.Hint),
            CofferException c => (ExitCodes.Fatal, c.Message, c.Hint),
            BackendException b => (ExitCodes.Fatal, b.Message, null),
            OperationCanceledException => (ExitCodes.Fatal, "operation cancelled: the repository lock could not be kept", null),
            IOException io => (ExitCodes.Fatal, io.Message, null),
            UnauthorizedAccessException ua => (ExitCodes.Fatal, ua.Message, null),
            _ => (ExitCodes.Fatal, $"unexpected error: {e.GetType().Name}: {e.Message}", "please report this; run with --verbose for details"),
        };
        console.Error.WriteLine($"Fatal: {OneLine(message)}");
        if (hint is not null)
        {
            console.Error.WriteLine($"Hint: {hint}");
        }
        if (verbose)
        {
            console.Error.WriteLine(e.ToString());
        }
        return code;
    }

    private static string OneLine(string message) => message.Replace('\n', ' ').Replace("\r", "", StringComparison.Ordinal);

    /// <summary>Wires Ctrl-C and SIGTERM to a cancellation source.</summary>
    public static IDisposable[] HookSignals(CancellationTokenSource cts)
    {
        void Cancel(PosixSignalContext c)
        {
            c.Cancel = true;
            cts.Cancel();
        }
        return
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel),
        ];
    }
}
