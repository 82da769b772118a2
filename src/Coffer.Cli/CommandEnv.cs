using System.CommandLine;

namespace Coffer.Cli;

/// <summary>What every command definition needs: the global options and the console.</summary>
internal sealed class CommandEnv(GlobalOptions options, CliConsole console)
{
    public GlobalOptions Options { get; } = options;

    public CliConsole Console { get; } = console;

    public Settings SettingsOf(ParseResult result) => Settings.From(result, Options, Console);

    /// <summary>Binds an action that receives the settings and a token.</summary>
    public void Bind(Command command, Func<ParseResult, Settings, CancellationToken, Task<int>> action) =>
        command.SetAction((result, ct) => action(result, SettingsOf(result), ct));

    /// <summary>Binds an action that runs on an opened, locked repository.</summary>
    public void BindWithRepository(Command command, LockMode mode, Func<ParseResult, Settings, Session, CancellationToken, Task<int>> action) =>
        BindWithRepository(command, _ => mode, action);

    /// <summary>Binds an action that runs on an opened repository, locked as <paramref name="mode"/> decides from the arguments.</summary>
    public void BindWithRepository(Command command, Func<ParseResult, LockMode> mode, Func<ParseResult, Settings, Session, CancellationToken, Task<int>> action) =>
        command.SetAction(async (result, ct) =>
        {
            var settings = SettingsOf(result);
            await using var session = await Session.OpenAsync(settings, Console, mode(result), ct).ConfigureAwait(false);
            using var linked = session.Lock is null ? null : CancellationTokenSource.CreateLinkedTokenSource(ct, session.Lock.Lost);
            return await action(result, settings, session, linked?.Token ?? ct).ConfigureAwait(false);
        });
}
