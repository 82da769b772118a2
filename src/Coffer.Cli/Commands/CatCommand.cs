using System.CommandLine;
using Coffer.Cli.Rendering;
using Coffer.Core.Crypto;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Storage;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer cat TYPE [ID]</c>: print the decrypted content of a repository file or blob. JSON files
/// are indented (config, snapshot, key, lock, masterkey); index files, blobs and packs are written as
/// they are stored or decrypted, byte for byte.
/// </summary>
internal static class CatCommand
{
    private static readonly string[] Types = ["config", "index", "snapshot", "key", "masterkey", "lock", "pack", "blob", "tree"];

    public static Command Create(CommandEnv env)
    {
        var type = new Argument<string>("type") { Description = string.Join("|", Types) };
        type.AcceptOnlyFromAmong(Types);
        var id = new Argument<string?>("ID") { Arity = ArgumentArity.ZeroOrOne, Description = "the file or blob id (a unique prefix is enough); for tree: snapshot[:subfolder]" };
        var command = new Command("cat", "Print internal objects to stdout") { type, id };
        env.BindWithRepository(command, LockMode.Shared, async (result, settings, session, ct) =>
        {
            var repo = session.Repository;
            var which = result.GetValue(type)!;
            var arg = result.GetValue(id);
            if (which is not ("config" or "masterkey") && string.IsNullOrEmpty(arg))
            {
                throw new CofferException($"type \"{which}\" needs an ID", $"coffer cat {which} ID");
            }
            var output = env.Console.Out;
            switch (which)
            {
                case "config":
                    output.WriteLine(JsonIndenter.Indent(repo.Config.Encode()));
                    break;
                case "masterkey":
                    output.WriteLine(JsonIndenter.Indent(MasterKeyJson.Serialize(repo.Key)));
                    break;
                case "index":
                    {
                        var fileId = await repo.ResolvePrefixAsync(FileType.Index, arg!, ct).ConfigureAwait(false);
                        await WriteBytesAsync(env, await repo.LoadUnpackedAsync(FileType.Index, fileId, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                        break;
                    }
                case "snapshot":
                    {
                        var snap = await SnapshotFilter.None.FindAsync(repo, arg!, ct).ConfigureAwait(false);
                        output.WriteLine(JsonIndenter.Indent(snap.Encode()));
                        break;
                    }
                case "key":
                    {
                        var keyId = await repo.ResolvePrefixAsync(FileType.Key, arg!, ct).ConfigureAwait(false);
                        var bytes = await repo.Backend.ReadAllAsync(new FileHandle(FileType.Key, keyId.ToString()), ct).ConfigureAwait(false);
                        output.WriteLine(JsonIndenter.Indent(bytes));
                        break;
                    }
                case "lock":
                    {
                        var lockId = await repo.ResolvePrefixAsync(FileType.Lock, arg!, ct).ConfigureAwait(false);
                        output.WriteLine(JsonIndenter.Indent(await repo.LoadUnpackedAsync(FileType.Lock, lockId, ct).ConfigureAwait(false)));
                        break;
                    }
                case "pack":
                    {
                        var packId = await repo.ResolvePrefixAsync(FileType.Pack, arg!, ct).ConfigureAwait(false);
                        var bytes = await repo.Backend.ReadAllAsync(new FileHandle(FileType.Pack, packId.ToString()), ct).ConfigureAwait(false);
                        if (Id.Hash(bytes) != packId)
                        {
                            env.Console.Error.WriteLine($"Warning: hash of data does not match ID, want {packId}, got {Id.Hash(bytes)}");
                        }
                        await WriteBytesAsync(env, bytes, ct).ConfigureAwait(false);
                        break;
                    }
                case "blob":
                    {
                        await repo.LoadIndexAsync(ct).ConfigureAwait(false);
                        var blobId = new BlobId(ResolveBlob(repo, arg!));
                        foreach (var t in new[] { BlobType.Data, BlobType.Tree })
                        {
                            var handle = new BlobHandle(blobId, t);
                            if (repo.Index.Contains(handle))
                            {
                                await WriteBytesAsync(env, await repo.LoadBlobAsync(handle, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                                return ExitCodes.Ok;
                            }
                        }
                        throw new CofferException($"blob {arg} not found");
                    }
                case "tree":
                    {
                        var colon = arg!.IndexOf(':', StringComparison.Ordinal);
                        var snapRef = colon < 0 ? arg : arg[..colon];
                        var sub = colon < 0 ? "" : arg[(colon + 1)..];
                        var snap = await SnapshotFilter.None.FindAsync(repo, snapRef, ct).ConfigureAwait(false);
                        await repo.LoadIndexAsync(ct).ConfigureAwait(false);
                        var treeId = await SubtreeAsync(repo, snap.Tree, sub, ct).ConfigureAwait(false);
                        await WriteBytesAsync(env, await repo.LoadBlobAsync(new BlobHandle(treeId, BlobType.Tree), ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                        break;
                    }
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Id ResolveBlob(Repository repo, string prefix)
    {
        if (Id.TryParse(prefix, out var full))
        {
            return full;
        }
        var matches = repo.Index.All().Select(b => b.Handle.Id.Value).Where(i => i.ToString().StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Distinct().Take(2).ToList();
        return matches.Count == 1 ? matches[0] : throw new CofferException(matches.Count == 0 ? $"blob {prefix} not found" : $"multiple blobs with prefix \"{prefix}\" found");
    }

    private static async Task<BlobId> SubtreeAsync(Repository repo, BlobId root, string path, CancellationToken ct)
    {
        var current = root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var tree = await repo.LoadTreeAsync(current, ct).ConfigureAwait(false);
            var node = tree.Nodes.FirstOrDefault(n => n.NameText == part)
                ?? throw new CofferException($"path {path} not found in snapshot");
            current = node.Type == NodeType.Dir && node.Subtree is BlobId sub ? sub : throw new CofferException($"path {path} is not a directory");
        }
        return current;
    }

    private static async Task WriteBytesAsync(CommandEnv env, byte[] bytes, CancellationToken ct)
    {
        await env.Console.Out.FlushAsync(ct).ConfigureAwait(false);
        var stream = env.Console.OpenBinaryOut();
        await stream.WriteAsync(bytes, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }
}
