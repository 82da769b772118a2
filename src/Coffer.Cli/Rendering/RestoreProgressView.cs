using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Coffer.Core.Restorer;

namespace Coffer.Cli.Rendering;

/// <summary>
/// Renders restore progress like backup's: on a terminal a live status line redrawn a few times a second;
/// without a terminal one plain line every <c>plainInterval</c>; with JSON, restic 0.17's restore
/// <c>status</c>, <c>verbose_status</c> (with <c>verbose</c>), <c>error</c> and <c>summary</c> messages.
/// Thread-safe: the restorer's workers report, a timer draws.
/// </summary>
internal sealed class RestoreProgressView : IRestoreProgress, IDisposable
{
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly bool _json;
    private readonly bool _terminal;
    private readonly bool _quiet;
    private readonly bool _verbose;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer _timer;
    private readonly Lock _drawLock = new();
    private long _totalItems, _totalBytes, _restored, _skipped, _deleted, _bytesRestored, _bytesSkipped, _errors;
    private int _lastLines;

    public RestoreProgressView(TextWriter output, TextWriter error, bool json, bool terminal, bool quiet, bool verbose, TimeSpan plainInterval)
    {
        _out = output;
        _err = error;
        _json = json;
        _terminal = terminal;
        _quiet = quiet;
        _verbose = verbose;
        var interval = json ? TimeSpan.FromSeconds(1) : terminal ? TimeSpan.FromMilliseconds(200) : plainInterval;
        _timer = new Timer(_ => Draw(), null, interval, interval);
    }

    public long Errors => Interlocked.Read(ref _errors);

    public void Planned(long totalItems, long totalBytes)
    {
        Interlocked.Exchange(ref _totalItems, totalItems);
        Interlocked.Exchange(ref _totalBytes, totalBytes);
    }

    public void BytesRestored(long bytes) => Interlocked.Add(ref _bytesRestored, bytes);

    public void BytesSkipped(long bytes) => Interlocked.Add(ref _bytesSkipped, bytes);

    public void ItemDone(string path, RestoreAction action, long size)
    {
        switch (action)
        {
            case RestoreAction.Restored or RestoreAction.Updated:
                Interlocked.Increment(ref _restored);
                break;
            case RestoreAction.Unchanged:
                Interlocked.Increment(ref _skipped);
                break;
            default:
                Interlocked.Increment(ref _deleted);
                break;
        }
        if (!_verbose || (_quiet && !_json))
        {
            return;
        }
        var name = ActionName(action);
        lock (_drawLock)
        {
            Clear();
            if (_json)
            {
                _out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["message_type"] = "verbose_status",
                    ["action"] = name,
                    ["item"] = path,
                    ["size"] = size,
                }));
            }
            else
            {
                _out.WriteLine(size > 0 ? $"{name,-9} {path} with size {ByteSize.Format(size)}" : $"{name,-9} {path}");
            }
        }
    }

    public void Error(string path, string message)
    {
        Interlocked.Increment(ref _errors);
        lock (_drawLock)
        {
            Clear();
            if (_json)
            {
                _out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["message_type"] = "error",
                    ["error"] = new Dictionary<string, string> { ["message"] = message },
                    ["during"] = "restore",
                    ["item"] = path,
                }));
            }
            else
            {
                _err.WriteLine($"error: {message}");
            }
        }
    }

    private static string ActionName(RestoreAction action) => action switch
    {
        RestoreAction.Restored => "restored",
        RestoreAction.Updated => "updated",
        RestoreAction.Unchanged => "unchanged",
        _ => "deleted",
    };

    private Dictionary<string, object> Counters(string type)
    {
        var elapsed = _clock.Elapsed;
        long totalBytes = Interlocked.Read(ref _totalBytes), done = Interlocked.Read(ref _bytesRestored) + Interlocked.Read(ref _bytesSkipped);
        var message = new Dictionary<string, object> { ["message_type"] = type, ["seconds_elapsed"] = (long)elapsed.TotalSeconds };
        if (type == "status")
        {
            message["percent_done"] = totalBytes > 0 ? Math.Min(1.0, (double)done / totalBytes) : 0.0;
        }
        message["total_files"] = Interlocked.Read(ref _totalItems);
        message["files_restored"] = Interlocked.Read(ref _restored);
        message["files_skipped"] = Interlocked.Read(ref _skipped);
        message["files_deleted"] = Interlocked.Read(ref _deleted);
        message["total_bytes"] = totalBytes;
        message["bytes_restored"] = Interlocked.Read(ref _bytesRestored);
        message["bytes_skipped"] = Interlocked.Read(ref _bytesSkipped);
        return message;
    }

    private void Draw()
    {
        if (_quiet && !_json)
        {
            return;
        }
        lock (_drawLock)
        {
            if (_json)
            {
                _out.WriteLine(JsonSerializer.Serialize(Counters("status")));
                return;
            }
            var elapsed = _clock.Elapsed;
            long totalBytes = Interlocked.Read(ref _totalBytes), restored = Interlocked.Read(ref _bytesRestored), skipped = Interlocked.Read(ref _bytesSkipped);
            var percent = totalBytes > 0 ? Math.Min(1.0, (double)(restored + skipped) / totalBytes) : 0.0;
            var line = new StringBuilder();
            line.Append('[').Append(ByteSize.Duration(elapsed)).Append("] ");
            line.Append((percent * 100).ToString("0.00", CultureInfo.InvariantCulture)).Append("%  ");
            line.Append(Interlocked.Read(ref _restored)).Append(" files/dirs ").Append(ByteSize.Format(restored));
            line.Append(", total ").Append(Interlocked.Read(ref _totalItems)).Append(" files/dirs ").Append(ByteSize.Format(totalBytes));
            if (Interlocked.Read(ref _skipped) > 0)
            {
                line.Append(", skipped ").Append(Interlocked.Read(ref _skipped)).Append(" files/dirs ").Append(ByteSize.Format(skipped));
            }
            if (Errors > 0)
            {
                line.Append(", ").Append(Errors).Append(" errors");
            }
            if (!_terminal)
            {
                _out.WriteLine(line.ToString());
                return;
            }
            Clear();
            _out.Write(line.ToString());
            _out.Write("\u001b[K\n");
            _lastLines = 1;
            _out.Flush();
        }
    }

    private void Clear()
    {
        if (_terminal && _lastLines > 0)
        {
            _out.Write($"\u001b[{_lastLines}A\u001b[J");
            _lastLines = 0;
        }
    }

    /// <summary>Stops the timer and writes the summary (a JSON <c>summary</c> message or restic's summary line).</summary>
    public void Finish(RestoreSummary summary, TimeSpan elapsed)
    {
        _timer.Dispose();
        lock (_drawLock)
        {
            Clear();
            if (_json)
            {
                var message = Counters("summary");
                message["seconds_elapsed"] = (long)elapsed.TotalSeconds;
                if (summary.DryRun)
                {
                    message["dry_run"] = true;
                }
                if (summary.FilesVerified > 0)
                {
                    message["files_verified"] = summary.FilesVerified;
                }
                _out.WriteLine(JsonSerializer.Serialize(message));
                return;
            }
            if (_quiet)
            {
                return;
            }
            var text = new StringBuilder(summary.DryRun ? "Summary (dry run): Would restore " : "Summary: Restored ");
            text.Append(summary.ItemsRestored).Append(" files/dirs (").Append(ByteSize.Format(summary.BytesRestored)).Append(") in ").Append(ByteSize.Duration(elapsed));
            if (summary.ItemsSkipped > 0)
            {
                text.Append(", skipped ").Append(summary.ItemsSkipped).Append(" files/dirs (").Append(ByteSize.Format(summary.BytesSkipped)).Append(')');
            }
            if (summary.ItemsDeleted > 0)
            {
                text.Append(summary.DryRun ? ", would delete " : ", deleted ").Append(summary.ItemsDeleted).Append(" files/dirs");
            }
            _out.WriteLine(text.ToString());
            if (summary.FilesVerified > 0)
            {
                _out.WriteLine($"verified {summary.FilesVerified} files");
            }
        }
    }

    public void Dispose() => _timer.Dispose();
}
