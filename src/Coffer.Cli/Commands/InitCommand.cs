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
        var from = new SourceRepositoryOptions("to copy chunker parameters from");
        var command = new Command("init", "Initialize a new repository")
        {
            version, copyChunker,
        };
        from.AddTo(command);
        env.Bind(command, async (result, settings, ct) =>
        {
            var console = env.Console;
            var formatVersion = result.GetValue(version) switch
            {
                "stable" or "latest" or "2" => 2,
                "1" => 1,
                var other => throw new CofferException($"unsupported repository version {other}", "use 1, 2, stable or latest"),
            };
            Polynomial? polynomial = null;
            if (result.GetValue(copyChunker))
            {
                await using var source = await Session.OpenAsync(from.Access(result, console), null, noLock: true, console, LockMode.None, ct).ConfigureAwait(false);
                polynomial = source.Repository.Config.ChunkerPolynomial;
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
