using System.Diagnostics;
using System.Globalization;
using Coffer.Core.Maintenance;
using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Cli.Rendering;

/// <summary>
/// Renders <c>copy</c> as restic does: per snapshot a header line, "copy started", the packs copied (live on a
/// terminal), or a line saying it was copied before; "saved" lines once a batch is committed. <c>--verbose</c> adds
/// the blob counts; <c>--quiet</c> prints nothing. With <c>--json</c> standard output carries one JSON object per
/// snapshot copied or skipped and a summary, nothing else.
/// </summary>
internal sealed class CopyView(TextWriter output, TimeZoneInfo zone, bool quiet, bool verbose, bool json, bool terminal) : ICopyProgress
{
    private readonly Lock _lock = new();
    private readonly Stopwatch _packClock = new();
    private long _lastDraw;

    private bool Text => !quiet && !json;

    public void SnapshotSkipped(Snapshot source, Snapshot existingCopy)
    {
        if (json)
        {
            WriteJson("snapshot_skipped", source.Id!.Value, existingCopy.Id!.Value);
        }
        else if (Text)
        {
            output.WriteLine();
            output.WriteLine(Header(source));
            output.WriteLine($"skipping snapshot {source.Id!.Value.ToShortString()}, was already copied to snapshot {existingCopy.Id!.Value.ToShortString()}");
        }
    }

    public void SnapshotStarted(Snapshot source)
    {
        if (Text)
        {
            output.WriteLine();
            output.WriteLine(Header(source));
            output.WriteLine("  copy started, this may take a while...");
        }
    }

    public void BlobsFound(Snapshot source, long blobs, long storedBytes, int packs)
    {
        _packClock.Restart();
        _lastDraw = 0;
        if (Text && verbose)
        {
            output.WriteLine($"  copy {blobs} blobs with disk size {ByteSize.Format(storedBytes)} in {packs} packfiles");
        }
    }

    public void PackCopied(int done, int total)
    {
        if (!Text || (!terminal && done < total))
        {
            return;
        }
        lock (_lock)
        {
            var now = _packClock.ElapsedMilliseconds;
            if (done < total && now - _lastDraw < 200)
            {
                return;
            }
            _lastDraw = now;
            var elapsed = _packClock.Elapsed;
            var percent = (100.0 * done / total).ToString("0.00", CultureInfo.InvariantCulture);
            var line = $"[{(int)elapsed.TotalMinutes}:{elapsed.Seconds:00}] {percent}%  {done} / {total} packs copied";
            if (terminal)
            {
                output.Write("\r" + line + (done == total ? "\n" : ""));
            }
            else
            {
                output.WriteLine(line);
            }
        }
    }

    public void SnapshotSaved(Snapshot source, SnapshotId copy)
    {
        if (json)
        {
            WriteJson("snapshot_copied", source.Id!.Value, copy);
        }
        else if (Text)
        {
            output.WriteLine($"snapshot {copy.ToShortString()} saved, copied from source snapshot {source.Id!.Value.ToShortString()}");
        }
    }

    /// <summary>The closing output: a JSON summary, or a blank line after the per-snapshot messages.</summary>
    public void Finish(CopySummary summary)
    {
        if (json)
        {
            output.WriteLine(System.Text.Encoding.UTF8.GetString(JsonLine.Build(w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("message_type"u8);
                w.WriteString("summary"u8);
                w.WritePropertyName("snapshots_copied"u8);
                w.WriteNumber(summary.Copied.Count);
                w.WritePropertyName("snapshots_skipped"u8);
                w.WriteNumber(summary.Skipped.Count);
                w.WritePropertyName("data_blobs"u8);
                w.WriteNumber(summary.DataBlobs);
                w.WritePropertyName("tree_blobs"u8);
                w.WriteNumber(summary.TreeBlobs);
                w.WritePropertyName("data_added"u8);
                w.WriteNumber(summary.DataAdded);
                w.WritePropertyName("data_added_packed"u8);
                w.WriteNumber(summary.DataAddedPacked);
                w.WriteEndObject();
            })));
        }
        else if (Text && verbose)
        {
            output.WriteLine();
            output.WriteLine($"copied {summary.Copied.Count} snapshots, skipped {summary.Skipped.Count}; added {summary.DataBlobs} data and {summary.TreeBlobs} tree blobs, {ByteSize.Format(summary.DataAddedPacked)} stored");
        }
    }

    private string Header(Snapshot s) =>
        $"snapshot {s.Id!.Value.ToShortString()} of [{string.Join(' ', s.Paths)}] at {GoTimeDisplay.Long(s.Time, zone)} by {s.Username}@{s.Hostname}";

    private void WriteJson(string type, SnapshotId source, SnapshotId copy) =>
        output.WriteLine(System.Text.Encoding.UTF8.GetString(JsonLine.Build(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("message_type"u8);
            w.WriteString(type);
            w.WritePropertyName("source_snapshot"u8);
            w.WriteId(source.Value);
            w.WritePropertyName("snapshot_id"u8);
            w.WriteId(copy.Value);
            w.WriteEndObject();
        })));
}
