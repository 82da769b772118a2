using System.CommandLine;
using System.Globalization;
using System.Text;
using Coffer.Cli.Rendering;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Restorer;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer find [flags] PATTERN...</c>: nodes whose path matches a pattern in every selected snapshot, or
/// (<c>--blob</c>, <c>--tree</c>, <c>--pack</c>) the files and directories that use given ids. Output as restic's.
/// </summary>
internal static class FindCommand
{
    private static readonly string[] TimeFormats = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];

    public static Command Create(CommandEnv env)
    {
        var filter = new SnapshotOptions();
        var patterns = new Argument<string[]>("PATTERN") { Arity = ArgumentArity.OneOrMore, Description = "patterns (or ids with --blob, --tree, --pack)" };
        var blob = new Option<bool>("--blob") { Description = "pattern is a blob-ID" };
        var tree = new Option<bool>("--tree") { Description = "pattern is a tree-ID" };
        var pack = new Option<bool>("--pack") { Description = "pattern is a pack-ID" };
        var showPackId = new Option<bool>("--show-pack-id") { Description = "display the pack-ID the blobs belong to (with --blob or --tree)" };
        var ignoreCase = new Option<bool>("--ignore-case", "-i") { Description = "ignore case for pattern" };
        var longFormat = new Option<bool>("--long", "-l") { Description = "use a long listing format showing size and mode" };
        var newest = new Option<string?>("--newest", "-N") { Description = "newest modification date/time" };
        var oldest = new Option<string?>("--oldest", "-O") { Description = "oldest modification date/time" };
        var snapshots = new Option<string[]>("--snapshot", "-s") { Description = "snapshot id to search in (can be given multiple times)" };
        var command = new Command("find", "Find a file, a directory or restic IDs")
        {
            patterns, blob, tree, pack, showPackId, ignoreCase, longFormat, newest, oldest, snapshots,
        };
        filter.AddTo(command);
        env.BindWithRepository(command, LockMode.Shared, async (result, settings, session, ct) =>
        {
            var args = result.GetValue(patterns) ?? [];
            var kinds = (result.GetValue(blob) ? 1 : 0) + (result.GetValue(tree) ? 1 : 0) + (result.GetValue(pack) ? 1 : 0);
            if (kinds > 1)
            {
                throw new CofferException("cannot have several ID types");
            }
            var zone = env.Console.TimeZone;
            var options = new FinderOptions(args, result.GetValue(ignoreCase),
                ParseTime(result.GetValue(oldest), zone), ParseTime(result.GetValue(newest), zone));
            var repo = session.Repository;
            await repo.LoadIndexAsync(ct).ConfigureAwait(false);
            var selected = await filter.Filter(result).SelectAsync(repo, result.GetValue(snapshots) ?? [], ct).ConfigureAwait(false);
            await env.Console.Out.FlushAsync(ct).ConfigureAwait(false);
            var output = new BufferedStream(env.Console.OpenBinaryOut(), 1 << 16);
            // Not disposed: that would close the process's standard output.
            try
            {
                if (kinds == 0)
                {
                    await FindPatternsAsync(new SnapshotFinder(repo, options), selected, output, settings, result.GetValue(longFormat), zone, ct).ConfigureAwait(false);
                    return ExitCodes.Ok;
                }
                var finder = new SnapshotFinder(repo);
                var query = new FinderObjectQuery(result.GetValue(blob) ? args : [], result.GetValue(tree) ? args : []);
                if (result.GetValue(pack))
                {
                    foreach (var handle in await finder.BlobsOfPacksAsync(args, ct).ConfigureAwait(false))
                    {
                        query.AddBlob(handle.Id);
                    }
                }
                await FindObjectsAsync(finder, query, selected, output, settings, zone, ct).ConfigureAwait(false);
                if (result.GetValue(showPackId))
                {
                    WritePackIds(repo, query, output);
                }
            }
            finally
            {
                await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>restic's accepted forms, in the console's zone.</summary>
    internal static GoTime? ParseTime(string? text, TimeZoneInfo zone)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (!DateTime.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            throw new CofferException($"unable to parse time: \"{text}\"", "use YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS");
        }
        var offset = zone.GetUtcOffset(local);
        return GoTime.FromDateTimeOffset(new DateTimeOffset(local, offset));
    }

    private static async Task FindPatternsAsync(SnapshotFinder finder, List<Snapshot> snapshots, Stream output, Settings settings, bool longFormat, TimeZoneInfo zone, CancellationToken ct)
    {
        var anyBlock = false;
        foreach (var snapshot in snapshots)
        {
            var hits = 0;
            await finder.FindAsync(snapshot.Tree, match =>
            {
                if (settings.Json)
                {
                    output.Write(hits == 0 ? (anyBlock ? ",{\"matches\":["u8 : "[{\"matches\":["u8) : ","u8);
                    output.Write(FinderNodeJson.Format(match.Node, match.Path));
                }
                else
                {
                    if (hits == 0 && !settings.Quiet)
                    {
                        output.Write(Encoding.UTF8.GetBytes((anyBlock ? "\n" : "") +
                            $"Found matching entries in snapshot {snapshot.Id!.Value.ToShortString()} from {snapshot.Time.InZone(zone).ToShortString()}\n"));
                    }
                    output.Write(longFormat ? NodeListing.FormatLong(match.Node, match.Path, zone) : match.Path);
                    output.WriteByte((byte)'\n');
                }
                hits++;
            }, ct).ConfigureAwait(false);
            if (hits > 0)
            {
                if (settings.Json)
                {
                    output.Write(Encoding.UTF8.GetBytes($"],\"hits\":{hits},\"snapshot\":\"{snapshot.Id!.Value}\"}}"));
                }
                anyBlock = true;
            }
        }
        if (settings.Json)
        {
            output.Write(anyBlock ? "]\n"u8 : "[]\n"u8);
        }
    }

    private static async Task FindObjectsAsync(SnapshotFinder finder, FinderObjectQuery query, List<Snapshot> snapshots, Stream output, Settings settings, TimeZoneInfo zone, CancellationToken ct)
    {
        var hits = 0;
        foreach (var snapshot in snapshots)
        {
            await finder.FindObjectsAsync(snapshot.Tree, query, match =>
            {
                var kind = match.IsTree ? "tree" : "blob";
                if (settings.Json)
                {
                    output.Write(hits == 0 ? "["u8 : ","u8);
                    output.Write(JsonLine.Build(w =>
                    {
                        w.WriteStartObject();
                        w.WritePropertyName("object_type"u8);
                        w.WriteString(kind);
                        w.WritePropertyName("id"u8);
                        w.WriteId(match.Id.Value);
                        w.WritePropertyName("path"u8);
                        w.WriteString(match.Path);
                        if (!match.IsTree)
                        {
                            w.WritePropertyName("parent_tree"u8);
                            w.WriteId(match.ParentTree.Value);
                        }
                        w.WritePropertyName("snapshot"u8);
                        w.WriteId(snapshot.Id!.Value.Value);
                        w.WritePropertyName("time"u8);
                        w.WriteTime(snapshot.Time);
                        w.WriteEndObject();
                    }));
                }
                else
                {
                    output.Write(Encoding.UTF8.GetBytes($"Found {kind} {match.Id.Value}\n"));
                    if (match.IsTree)
                    {
                        output.Write(" ... path "u8);
                        output.Write(match.Path);
                        output.WriteByte((byte)'\n');
                    }
                    else
                    {
                        output.Write(" ... in file "u8);
                        output.Write(match.Path);
                        output.Write(Encoding.UTF8.GetBytes($"\n     (tree {match.ParentTree.Value})\n"));
                    }
                    output.Write(Encoding.UTF8.GetBytes($" ... in snapshot {snapshot.Id!.Value.ToShortString()} ({snapshot.Time.InZone(zone).ToShortString()})\n"));
                }
                hits++;
            }, ct).ConfigureAwait(false);
        }
        if (settings.Json)
        {
            output.Write(hits > 0 ? "]\n"u8 : "[]\n"u8);
        }
    }

    private static void WritePackIds(Core.Repository.Repository repo, FinderObjectQuery query, Stream output)
    {
        void One(string text, BlobType type)
        {
            if (!Id.TryParse(text, out var id))
            {
                output.Write(Encoding.UTF8.GetBytes($"Note: cannot find pack for object '{text}', unable to parse ID: invalid length for hash\n"));
                return;
            }
            var copies = repo.Index.LookupAll(new BlobHandle(new BlobId(id), type));
            if (copies.Count == 0)
            {
                output.Write(Encoding.UTF8.GetBytes($"Object {id.ToShortString()} not found in the index\n"));
                return;
            }
            var b = copies[0];
            output.Write(Encoding.UTF8.GetBytes($"Object belongs to pack {b.Pack.Value}\n ... Pack {b.Pack.Value.ToShortString()}: " +
                $"<Blob ({type.Name()}) {id.ToShortString()}, offset {b.Blob.Offset}, length {b.Blob.Length}, uncompressed length {b.Blob.UncompressedLength}>\n"));
        }
        foreach (var text in query.ResolvedBlobs.Order(StringComparer.Ordinal))
        {
            One(text, BlobType.Data);
        }
        foreach (var text in query.ResolvedTrees.Order(StringComparer.Ordinal))
        {
            One(text, BlobType.Tree);
        }
    }
}
