using System.CommandLine;
using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer list TYPE</c>: the ids of all files of a type, or every blob of the index.</summary>
internal static class ListCommand
{
    private static readonly string[] Types = ["blobs", "packs", "index", "snapshots", "keys", "locks"];

    public static Command Create(CommandEnv env)
    {
        var type = new Argument<string>("type") { Description = string.Join("|", Types) };
        type.AcceptOnlyFromAmong(Types);
        var command = new Command("list", "List objects in the repository") { type };
        // As restic: listing locks takes none, so the listing shows only other processes' locks.
        env.BindWithRepository(command, r => r.GetValue(type) == "locks" ? LockMode.None : LockMode.Shared, async (result, settings, session, ct) =>
        {
            var repo = session.Repository;
            var output = env.Console.Out;
            var which = result.GetValue(type)!;
            if (which == "blobs")
            {
                await repo.LoadIndexAsync(ct).ConfigureAwait(false);
                foreach (var blob in repo.Index.All())
                {
                    output.WriteLine($"{blob.Handle.Type.Name()} {blob.Handle.Id}");
                }
                return ExitCodes.Ok;
            }
            var fileType = which switch
            {
                "packs" => FileType.Pack,
                "index" => FileType.Index,
                "snapshots" => FileType.Snapshot,
                "keys" => FileType.Key,
                _ => FileType.Lock,
            };
            await foreach (var entry in repo.Backend.ListAsync(fileType, ct).ConfigureAwait(false))
            {
                output.WriteLine(entry.Name);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
