using System.CommandLine;
using System.Text.Json;
using Coffer.Core.Chunking;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer init</c>: creates a repository (format 2 by default), optionally with another repository's chunker polynomial.</summary>
internal static class InitCommand
{
    public static Command Create(CommandEnv env)
    {
        var version = new Option<string>("--repository-version") { Description = "repository format version to use, allowed values are a format version, 'latest' and 'stable'", DefaultValueFactory = _ => "stable" };
        var copyChunker = new Option<bool>("--copy-chunker-params") { Description = "copy chunker parameters from the secondary repository (useful with the copy command)" };
        var fromRepo = new Option<string?>("--from-repo") { Description = "source repository to copy chunker parameters from (default: $COFFER_FROM_REPOSITORY, $RESTIC_FROM_REPOSITORY)" };
        var fromRepoFile = new Option<string?>("--from-repository-file") { Description = "file from which to read the source repository location (default: $RESTIC_FROM_REPOSITORY_FILE)" };
        var fromPasswordFile = new Option<string?>("--from-password-file") { Description = "file to read the source repository password from (default: $RESTIC_FROM_PASSWORD_FILE)" };
        var fromPasswordCommand = new Option<string?>("--from-password-command") { Description = "shell command to obtain the source repository password from (default: $RESTIC_FROM_PASSWORD_COMMAND)" };
        var fromKeyHint = new Option<string?>("--from-key-hint") { Description = "key ID of key to try decrypting the source repository first (default: $RESTIC_FROM_KEY_HINT)" };
        var command = new Command("init", "Initialize a new repository")
        {
            version, copyChunker, fromRepo, fromRepoFile, fromPasswordFile, fromPasswordCommand, fromKeyHint,
        };
        env.Bind(command, async (result, settings, ct) =>
        {
            var console = env.Console;
            string? Env(string name) => console.GetEnvironmentVariable("COFFER_" + name) ?? console.GetEnvironmentVariable("RESTIC_" + name);
            var formatVersion = result.GetValue(version) switch
            {
                "stable" or "latest" or "2" => 2,
                "1" => 1,
                var other => throw new CofferException($"unsupported repository version {other}", "use 1, 2, stable or latest"),
            };
            Polynomial? polynomial = null;
            if (result.GetValue(copyChunker))
            {
                var fromLocation = RepositoryLocator.ResolveLocation(result.GetValue(fromRepo) ?? Env("FROM_REPOSITORY"), result.GetValue(fromRepoFile) ?? Env("FROM_REPOSITORY_FILE"));
                var fromBackend = RepositoryLocator.Open(fromLocation);
                var fromPassword = await PasswordSource.ResolveAsync(console, result.GetValue(fromPasswordFile) ?? Env("FROM_PASSWORD_FILE"),
                    result.GetValue(fromPasswordCommand) ?? Env("FROM_PASSWORD_COMMAND"), Settings.EnvironmentPassword(console, "FROM_"),
                    "enter password for source repository: ", ct).ConfigureAwait(false);
                var source = await Repository.OpenAsync(fromBackend, fromPassword, ct, result.GetValue(fromKeyHint) ?? Env("FROM_KEY_HINT")).ConfigureAwait(false);
                polynomial = source.Config.ChunkerPolynomial;
            }
            var location = RepositoryLocator.ResolveLocation(settings.Repository, settings.RepositoryFile);
            var backend = RepositoryLocator.Open(location);
            var password = await PasswordSource.ResolveNewAsync(console, settings.PasswordFile, settings.PasswordCommand,
                Settings.EnvironmentPassword(console), "enter password for new repository: ", ct).ConfigureAwait(false);
            var config = RepositoryConfig.New(formatVersion, polynomial);
            var repo = await Repository.InitAsync(backend, password, config, KeyIdentity.Current, ct).ConfigureAwait(false);
            Array.Clear(password);
            if (settings.Json)
            {
                console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["message_type"] = "initialized",
                    ["id"] = repo.Config.Id,
                    ["repository"] = backend.Location,
                }));
            }
            else
            {
                console.Out.WriteLine($"created restic repository {repo.Config.Id[..10]} at {backend.Location}");
                console.Out.WriteLine();
                console.Out.WriteLine("Keep the password safe: every byte in this repository is encrypted with it,");
                console.Out.WriteLine("and without it nothing here can be restored by anyone.");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
