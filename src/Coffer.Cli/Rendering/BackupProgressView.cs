using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Coffer.Core.Archiver;

namespace Coffer.Cli.Rendering;

/// <summary>
/// Renders backup progress: on a terminal a live status (elapsed, percent, files and bytes done of
/// the scanned totals, throughput, ETA, files in flight) redrawn a few times a second; without a
/// terminal one plain status line every <c>plainInterval</c>; with JSON, restic's <c>status</c>
/// and <c>error</c> messages. Thread-safe: the archiver's workers report, a timer draws.
/// </summary>
internal sealed class BackupProgressView : IBackupProgress, IDisposable
{
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly bool _json;
    private readonly bool _terminal;
    private readonly bool _quiet;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, byte> _current = new(StringComparer.Ordinal);
    private readonly Timer _timer;
    private readonly Lock _drawLock = new();
    private long _totalFiles, _totalDirs, _totalBytes, _filesDone, _bytesDone, _errors;
    private volatile bool _scanComplete;
    private int _lastLines;

    public BackupProgressView(TextWriter output, TextWriter error, bool json, bool terminal, bool quiet, TimeSpan plainInterval)
    {
        _out = output;
        _err = error;
        _json = json;
        _terminal = terminal;
        _quiet = quiet;
        var interval = json ? TimeSpan.FromSeconds(1) : terminal ? TimeSpan.FromMilliseconds(200) : plainInterval;
        _timer = new Timer(_ => Draw(final: false), null, interval, interval);
    }

    public long Errors => Interlocked.Read(ref _errors);

    public void Scanned(long files, long dirs, long bytes, bool complete)
    {
        Interlocked.Exchange(ref _totalFiles, files);
        Interlocked.Exchange(ref _totalDirs, dirs);
        Interlocked.Exchange(ref _totalBytes, bytes);
        _scanComplete = complete;
    }

    public void FileStarted(string path) => _current.TryAdd(path, 0);

    public void FileDone(string path, long bytes, FileChange change)
    {
        _current.TryRemove(path, out _);
        Interlocked.Increment(ref _filesDone);
        if (change == FileChange.Unmodified)
        {
            Interlocked.Add(ref _bytesDone, bytes);
        }
    }

    public void BytesRead(long bytes) => Interlocked.Add(ref _bytesDone, bytes);

    public void DirectoryDone(string path, FileChange change)
    {
    }

    public void Error(string path, string message)
    {
        _current.TryRemove(path, out _);
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
                    ["during"] = "archival",
                    ["item"] = path,
                }));
            }
            else
            {
                _err.WriteLine($"error: {message}");
            }
        }
    }

    private void Draw(bool final)
    {
        if (_quiet && !_json)
        {
            return;
        }
        lock (_drawLock)
        {
            var elapsed = _clock.Elapsed;
            long files = Interlocked.Read(ref _filesDone), bytes = Interlocked.Read(ref _bytesDone);
            long totalFiles = Interlocked.Read(ref _totalFiles), totalBytes = Interlocked.Read(ref _totalBytes);
            var percent = totalBytes > 0 ? Math.Min(1.0, (double)bytes / totalBytes) : (_scanComplete ? 1.0 : 0.0);
            if (_json)
            {
                var status = new Dictionary<string, object>
                {
                    ["message_type"] = "status",
                    ["seconds_elapsed"] = (long)elapsed.TotalSeconds,
                    ["percent_done"] = percent,
                    ["total_files"] = totalFiles,
                    ["files_done"] = files,
                    ["total_bytes"] = totalBytes,
                    ["bytes_done"] = bytes,
                };
                if (Errors > 0)
                {
                    status["error_count"] = Errors;
                }
                var current = _current.Keys.Take(4).ToArray();
                if (current.Length > 0)
                {
                    status["current_files"] = current;
                }
                if (_scanComplete && percent > 0 && percent < 1)
                {
                    status["seconds_remaining"] = (long)(elapsed.TotalSeconds / percent * (1 - percent));
                }
                _out.WriteLine(JsonSerializer.Serialize(status));
                return;
            }
            var line = new StringBuilder();
            line.Append('[').Append(ByteSize.Duration(elapsed)).Append("] ");
            line.Append((percent * 100).ToString("0.00", CultureInfo.InvariantCulture)).Append("%  ");
            line.Append(files).Append(" files ").Append(ByteSize.Format(bytes));
            line.Append(", total ").Append(totalFiles).Append(" files ").Append(ByteSize.Format(totalBytes));
            line.Append(", ").Append(Errors).Append(" errors");
            var rate = elapsed.TotalSeconds > 0 ? bytes / elapsed.TotalSeconds : 0;
            line.Append(", ").Append(ByteSize.Format((long)rate)).Append("/s");
            if (_scanComplete && percent > 0 && percent < 1)
            {
                line.Append(" ETA ").Append(ByteSize.Duration(TimeSpan.FromSeconds(elapsed.TotalSeconds / percent * (1 - percent))));
            }
            if (!_terminal)
            {
                _out.WriteLine(line.ToString());
                return;
            }
            Clear();
            var lines = new List<string> { line.ToString() };
            lines.AddRange(_current.Keys.Take(final ? 0 : 4).Select(p => "  " + Shorten(p, Console.WindowWidth > 10 ? Console.WindowWidth - 3 : 77)));
            foreach (var l in lines)
            {
                _out.Write(l);
                _out.Write("\u001b[K\n");
            }
            _lastLines = lines.Count;
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

    private static string Shorten(string path, int width) => path.Length <= width ? path : "…" + path[^(width - 1)..];

    /// <summary>Draws the last status (terminal only) and stops the timer.</summary>
    public void Finish()
    {
        _timer.Dispose();
        if (_terminal && !_json)
        {
            Draw(final: true);
        }
        lock (_drawLock)
        {
            Clear();
        }
    }

    public void Dispose() => _timer.Dispose();
}
