namespace Coffer.Cli;

/// <summary>
/// Where one repository is and where its password comes from: the main repository from the global settings, or a
/// second one (the source of <c>copy</c>, the chunker donor of <c>init</c>) from the <c>--from-*</c> options. Holds
/// no secret: a password given in the environment is read only when the repository is opened.
/// </summary>
/// <param name="Repository">The location given directly, if any.</param>
/// <param name="RepositoryFile">A file holding the location, if any.</param>
/// <param name="PasswordFile">A file holding the password, if any.</param>
/// <param name="PasswordCommand">A command printing the password, if any.</param>
/// <param name="KeyHint">The key id (prefix) to try first, if any.</param>
/// <param name="PasswordVariablePrefix">What follows <c>COFFER_</c>/<c>RESTIC_</c> before <c>PASSWORD</c> in the variable holding the password.</param>
/// <param name="RepositoryOption">The option naming the location, for messages.</param>
/// <param name="RepositoryFileOption">The option naming the location file, for messages.</param>
/// <param name="Description">"repository" or "source repository", for messages and the prompt.</param>
internal sealed record RepositoryAccess(
    string? Repository,
    string? RepositoryFile,
    string? PasswordFile,
    string? PasswordCommand,
    string? KeyHint,
    string PasswordVariablePrefix,
    string RepositoryOption,
    string RepositoryFileOption,
    string Description)
{
    /// <summary>The main repository (<c>-r</c>, <c>--repository-file</c>, <c>--password-*</c>, <c>--key-hint</c> and their variables).</summary>
    public static RepositoryAccess Primary(Settings settings) =>
        new(settings.Repository, settings.RepositoryFile, settings.PasswordFile, settings.PasswordCommand, settings.KeyHint, "", "-r", "--repository-file", "repository");

    /// <summary>The location, read from the file if one was given; throws when there is none or both were given.</summary>
    public string ResolveLocation() => RepositoryLocator.ResolveLocation(Repository, RepositoryFile, RepositoryOption, RepositoryFileOption, Description);

    /// <summary>The password: from the command, the file, the environment or a prompt. The caller clears the bytes after use.</summary>
    public Task<byte[]> ResolvePasswordAsync(CliConsole console, CancellationToken cancellationToken) =>
        PasswordSource.ResolveAsync(console, PasswordFile, PasswordCommand, Settings.EnvironmentPassword(console, PasswordVariablePrefix),
            $"enter password for {Description}: ", cancellationToken);
}
