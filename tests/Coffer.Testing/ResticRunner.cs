using System.Diagnostics;

namespace Coffer.Testing;

/// <summary>Runs the real <c>restic</c> binary, the interoperability oracle, with a clean environment.</summary>
public sealed class ResticRunner
{
    /// <summary>Environment passed to restic (RESTIC_* and TZ); nothing else of the test process leaks in but PATH and HOME.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal) { ["TZ"] = "UTC" };

    /// <summary>Result of one run.</summary>
    public sealed record Result(int ExitCode, string Out, string Error);

    /// <summary>True when a restic binary is on PATH.</summary>
    public static bool IsAvailable => FindOnPath("restic") is not null;

    /// <summary>Runs restic with the arguments; stdin is empty.</summary>
    public async Task<Result> RunAsync(params string[] args)
    {
        var exe = FindOnPath("restic") ?? throw new InvalidOperationException("restic is not installed (the test command installs it: ./test.sh)");
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.Environment.Clear();
        psi.Environment["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        psi.Environment["HOME"] = System.Environment.GetEnvironmentVariable("HOME") ?? "/root";
        psi.Environment["RESTIC_CACHE_DIR"] = Path.Combine(Path.GetTempPath(), "coffer-restic-cache");
        foreach (var (k, v) in Environment)
        {
            psi.Environment[k] = v;
        }
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return new Result(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs restic and fails the test unless it exits 0.</summary>
    public async Task<Result> OkAsync(params string[] args)
    {
        var r = await RunAsync(args);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"restic {string.Join(' ', args)} exited {r.ExitCode}: {r.Error}");
        }
        return r;
    }

    private static string? FindOnPath(string name) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
