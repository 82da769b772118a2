using System.CommandLine;
using Coffer.Core.Primitives;

namespace Coffer.Cli.Commands;

/// <summary>
/// The second repository of <c>copy</c> (the source) and <c>init --copy-chunker-params</c>: restic's <c>--from-*</c>
/// options, each falling back to COFFER_FROM_* then RESTIC_FROM_* variables. restic's older <c>--repo2</c> group
/// named the destination instead (with <c>-r</c> the source), so it is refused with a hint rather than guessed at.
/// </summary>
internal sealed class SourceRepositoryOptions
{
    private readonly Option<string?>[] _legacy =
    [
        new("--repo2") { Hidden = true },
        new("--repository-file2") { Hidden = true },
        new("--password-file2") { Hidden = true },
        new("--password-command2") { Hidden = true },
        new("--key-hint2") { Hidden = true },
    ];

    /// <summary>A set of options; <paramref name="purpose"/> ends each description ("to copy snapshots from").</summary>
    public SourceRepositoryOptions(string purpose)
    {
        Repo = new("--from-repo") { Description = $"source repository {purpose} (default: $COFFER_FROM_REPOSITORY, $RESTIC_FROM_REPOSITORY)" };
        RepositoryFile = new("--from-repository-file") { Description = $"file from which to read the source repository location {purpose} (default: $COFFER_FROM_REPOSITORY_FILE, $RESTIC_FROM_REPOSITORY_FILE)" };
        PasswordFile = new("--from-password-file") { Description = "file to read the source repository password from (default: $COFFER_FROM_PASSWORD_FILE, $RESTIC_FROM_PASSWORD_FILE)" };
        PasswordCommand = new("--from-password-command") { Description = "shell command to obtain the source repository password from (default: $COFFER_FROM_PASSWORD_COMMAND, $RESTIC_FROM_PASSWORD_COMMAND)" };
        KeyHint = new("--from-key-hint") { Description = "key ID of key to try decrypting the source repository first (default: $COFFER_FROM_KEY_HINT, $RESTIC_FROM_KEY_HINT)" };
    }

    public Option<string?> Repo { get; }
    public Option<string?> RepositoryFile { get; }
    public Option<string?> PasswordFile { get; }
    public Option<string?> PasswordCommand { get; }
    public Option<string?> KeyHint { get; }

    public void AddTo(Command command)
    {
        foreach (var o in new[] { Repo, RepositoryFile, PasswordFile, PasswordCommand, KeyHint }.Concat(_legacy))
        {
            command.Options.Add(o);
        }
    }

    /// <summary>
    /// The source repository as given by the options and variables (the password variable is read when it is opened).
    /// Throws when no location is given or a <c>--repo2</c> option is.
    /// </summary>
    public RepositoryAccess Access(ParseResult result, CliConsole console)
    {
        string? Env(string name) => Settings.Environment(console, name);
        string? Value(Option<string?> option, string variable) => Settings.Nonempty(result.GetValue(option)) ?? Env(variable);
        if (_legacy.FirstOrDefault(o => Settings.Nonempty(result.GetValue(o)) is not null) is { } legacy)
        {
            throw new CofferException($"{legacy.Name} is not supported",
                "give the source repository with --from-repo and the destination with -r (with restic's old --repo2 options, -r named the source)");
        }
        var access = new RepositoryAccess(
            Value(Repo, "FROM_REPOSITORY"),
            Value(RepositoryFile, "FROM_REPOSITORY_FILE"),
            Value(PasswordFile, "FROM_PASSWORD_FILE"),
            Value(PasswordCommand, "FROM_PASSWORD_COMMAND"),
            Value(KeyHint, "FROM_KEY_HINT"),
            "FROM_",
            "--from-repo",
            "--from-repository-file",
            "source repository");
        if (access.Repository is null && access.RepositoryFile is null && Env("REPOSITORY2") is not null)
        {
            throw new CofferException("Please specify a source repository location (--from-repo or --from-repository-file)",
                "RESTIC_REPOSITORY2 is not supported: it named the destination, with RESTIC_REPOSITORY the source; set RESTIC_FROM_REPOSITORY to the source and RESTIC_REPOSITORY to the destination");
        }
        return access;
    }

}
