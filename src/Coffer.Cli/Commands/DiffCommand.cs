using System.CommandLine;
using System.Text;
using Coffer.Cli.Rendering;
using Coffer.Core.Repository;
using Coffer.Core.Restorer;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer diff SNAPSHOT1[:PATH] SNAPSHOT2[:PATH]</c>: what changed between two snapshots (or two directories
/// in them), then restic's statistics block; with <c>--json</c>, restic's <c>change</c> and <c>statistics</c> messages.
/// </summary>
internal static class DiffCommand
{
    public static Command Create(CommandEnv env)
    {
        var first = new Argument<string>("snapshot-ID") { Description = "the snapshot to compare from (id, prefix or 'latest'), optionally :subfolder" };
        var second = new Argument<string>("snapshot-ID") { Description = "the snapshot to compare to, optionally :subfolder" };
        var metadata = new Option<bool>("--metadata") { Description = "print changes in metadata" };
        var command = new Command("diff", "Show differences between two snapshots") { first, second, metadata };
        env.BindWithRepository(command, LockMode.Shared, async (result, settings, session, ct) =>
        {
            var repo = session.Repository;
            var arg1 = result.GetValue(first)!;
            var arg2 = result.GetValue(second)!;
            var (ref1, sub1) = Split(arg1);
            var (ref2, sub2) = Split(arg2);
            var snap1 = await SnapshotFilter.None.FindAsync(repo, ref1, ct).ConfigureAwait(false);
            var snap2 = await SnapshotFilter.None.FindAsync(repo, ref2, ct).ConfigureAwait(false);
            await repo.LoadIndexAsync(ct).ConfigureAwait(false);
            var tree1 = await SnapshotDiffer.TreeAtAsync(repo, snap1, sub1, ct).ConfigureAwait(false);
            var tree2 = await SnapshotDiffer.TreeAtAsync(repo, snap2, sub2, ct).ConfigureAwait(false);
            await env.Console.Out.FlushAsync(ct).ConfigureAwait(false);
            var output = new BufferedStream(env.Console.OpenBinaryOut(), 1 << 16);
            // Not disposed: that would close the process's standard output.
            try
            {
                if (!settings.Json && !settings.Quiet)
                {
                    output.Write(Encoding.UTF8.GetBytes($"comparing snapshot {snap1.Id!.Value.ToShortString()} to {snap2.Id!.Value.ToShortString()}:\n\n"));
                }
                var differ = new SnapshotDiffer(repo, result.GetValue(metadata));
                var stats = await differ.CompareAsync(tree1, tree2, change =>
                {
                    if (settings.Json)
                    {
                        output.Write(JsonLine.Build(w =>
                        {
                            w.WriteStartObject();
                            w.WritePropertyName("message_type"u8);
                            w.WriteString("change"u8);
                            w.WritePropertyName("path"u8);
                            w.WriteString(change.Path);
                            w.WritePropertyName("modifier"u8);
                            w.WriteString(change.Modifier);
                            w.WriteEndObject();
                        }));
                    }
                    else
                    {
                        output.Write(Encoding.UTF8.GetBytes(change.Modifier.PadRight(5)));
                        output.Write(change.Path);
                    }
                    output.WriteByte((byte)'\n');
                }, ct).ConfigureAwait(false);
                foreach (var missing in stats.MissingBlobs)
                {
                    await env.Console.Error.WriteLineAsync($"unable to find blob size for {missing}").ConfigureAwait(false);
                }
                output.Write(settings.Json ? Statistics(stats, arg1, arg2) : Encoding.UTF8.GetBytes(Text(stats)));
            }
            finally
            {
                await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static (string Snapshot, string Subpath) Split(string arg)
    {
        var colon = arg.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (arg, "") : (arg[..colon], arg[(colon + 1)..]);
    }

    private static string Text(SnapshotDiffStatistics s) =>
        "\n" +
        $"Files:       {s.Added.Files,5} new, {s.Removed.Files,5} removed, {s.ChangedFiles,5} changed\n" +
        $"Dirs:        {s.Added.Dirs,5} new, {s.Removed.Dirs,5} removed\n" +
        $"Others:      {s.Added.Others,5} new, {s.Removed.Others,5} removed\n" +
        $"Data Blobs:  {s.Added.DataBlobs,5} new, {s.Removed.DataBlobs,5} removed\n" +
        $"Tree Blobs:  {s.Added.TreeBlobs,5} new, {s.Removed.TreeBlobs,5} removed\n" +
        $"  Added:   {ByteSize.Format(s.Added.Bytes),-5}\n" +
        $"  Removed: {ByteSize.Format(s.Removed.Bytes),-5}\n";

    private static byte[] Statistics(SnapshotDiffStatistics s, string source, string target)
    {
        var line = JsonLine.Build(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("message_type"u8);
            w.WriteString("statistics"u8);
            w.WritePropertyName("source_snapshot"u8);
            w.WriteString(source);
            w.WritePropertyName("target_snapshot"u8);
            w.WriteString(target);
            w.WritePropertyName("changed_files"u8);
            w.WriteNumber(s.ChangedFiles);
            WriteCounts(w, "added"u8, s.Added);
            WriteCounts(w, "removed"u8, s.Removed);
            w.WriteEndObject();
        });
        return [.. line, (byte)'\n'];
    }

    private static void WriteCounts(Core.Model.GoJsonWriter w, ReadOnlySpan<byte> name, SnapshotDiffCounts c)
    {
        w.WritePropertyName(name);
        w.WriteStartObject();
        w.WritePropertyName("files"u8);
        w.WriteNumber(c.Files);
        w.WritePropertyName("dirs"u8);
        w.WriteNumber(c.Dirs);
        w.WritePropertyName("others"u8);
        w.WriteNumber(c.Others);
        w.WritePropertyName("data_blobs"u8);
        w.WriteNumber(c.DataBlobs);
        w.WritePropertyName("tree_blobs"u8);
        w.WriteNumber(c.TreeBlobs);
        w.WritePropertyName("bytes"u8);
        w.WriteNumber(c.Bytes);
        w.WriteEndObject();
    }
}
