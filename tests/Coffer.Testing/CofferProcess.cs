using System.Diagnostics;
using Coffer.Core.Interop;

namespace Coffer.Testing;

/// <summary>
/// The real <c>coffer</c> executable running as a child process, with a clean environment (only the
/// entries of <see cref="Options.Environment"/> plus PATH, HOME, TZ and XDG_CACHE_HOME), its output captured, and
/// signals sent to it. Dispose kills it if it still runs.
/// </summary>
public sealed class CofferProcess : IDisposable
{
    /// <summary>Linux signal numbers used by the tests.</summary>
    public const int SigInt = 2;

    /// <summary>SIGKILL.</summary>
    public const int SigKill = 9;

    /// <summary>SIGTERM.</summary>
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly Task _stdin;

    private CofferProcess(Process process, byte[]? input)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
        _stdin = FeedAsync(process.StandardInput.BaseStream, input);
    }

    /// <summary>How to start one run.</summary>
    public sealed class Options
    {
        /// <summary>COFFER_* variables (and any other the test wants); PATH, HOME, TZ=UTC and a test-run XDG_CACHE_HOME are added unless given.</summary>
        public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

        /// <summary>Bytes written to stdin, which is then closed; null closes stdin at once.</summary>
        public byte[]? Input { get; init; }

        /// <summary>A command the executable is run through, such as <c>setpriv --reuid=65534 …</c>; empty runs it directly.</summary>
        public IReadOnlyList<string> Prefix { get; init; } = [];

        /// <summary>The working directory; null keeps the test's.</summary>
        public string? WorkingDirectory { get; init; }
    }

    /// <summary>Result of a finished run.</summary>
    public sealed record Result(int ExitCode, string Out, string Error);

    /// <summary>The executable next to the test assembly (the Coffer.Cli apphost).</summary>
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "coffer");

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the child has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The cache home of the processes this test run starts (under the temporary directory).</summary>
    public static string TestCacheHome { get; } = Path.Combine(Path.GetTempPath(), $"coffer-test-cache-{System.Environment.ProcessId}");

    /// <summary>Starts <c>coffer ARGS…</c>.</summary>
    public static CofferProcess Start(Options options, params string[] args)
    {
        var first = options.Prefix.Count > 0 ? options.Prefix[0] : Executable;
        var psi = new ProcessStartInfo(first)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (options.WorkingDirectory is not null)
        {
            psi.WorkingDirectory = options.WorkingDirectory;
        }
        psi.Environment.Clear();
        psi.Environment["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        psi.Environment["HOME"] = System.Environment.GetEnvironmentVariable("HOME") ?? "/root";
        psi.Environment["TZ"] = "UTC";
        // The index cache of every repository a test makes goes to one directory of the test run, not the user's.
        psi.Environment["XDG_CACHE_HOME"] = TestCacheHome;
        foreach (var (k, v) in options.Environment)
        {
            psi.Environment[k] = v;
        }
        foreach (var a in options.Prefix.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }
        if (options.Prefix.Count > 0)
        {
            psi.ArgumentList.Add(Executable);
        }
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {first}");
        return new CofferProcess(process, options.Input);
    }

    /// <summary>Starts a run and waits for it; fails the test if it takes longer than <paramref name="timeout"/>.</summary>
    public static async Task<Result> RunAsync(Options options, TimeSpan timeout, params string[] args)
    {
        using var p = Start(options, args);
        return await p.WaitAsync(timeout);
    }

    /// <summary>Sends a signal with <c>kill(2)</c>; false when the child had already exited.</summary>
    public bool Signal(int signal)
    {
        if (_process.HasExited)
        {
            return false;
        }
        try
        {
            PosixProcess.Signal(_process.Id, signal);
            return true;
        }
        catch (PosixException e) when (e.Errno == PosixErrors.NoSuchProcess)
        {
            return false;
        }
    }

    /// <summary>SIGKILL to the child and everything it started (kill -9); false when it had already exited.</summary>
    public bool KillHard()
    {
        if (_process.HasExited)
        {
            return false;
        }
        try
        {
            _process.Kill(entireProcessTree: true);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Waits for the exit and returns the captured output; throws <see cref="TimeoutException"/> (after killing it) on timeout.</summary>
    public async Task<Result> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            KillHard();
            await _process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"coffer did not exit within {timeout.TotalSeconds:0.#} s; stderr: {await _stderr}");
        }
        try
        {
            await _stdin;
        }
        catch (IOException)
        {
            // the child exited without reading all its input
        }
        return new Result(_process.ExitCode, await _stdout, await _stderr);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        KillHard();
        _process.Dispose();
    }

    private static async Task FeedAsync(Stream stdin, byte[]? input)
    {
        try
        {
            if (input is not null)
            {
                await stdin.WriteAsync(input);
            }
        }
        finally
        {
            await stdin.DisposeAsync();
        }
    }
}
