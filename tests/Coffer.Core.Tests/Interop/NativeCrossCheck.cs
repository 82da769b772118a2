using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Coffer.Core.Tests.Interop;

/// <summary>Independent sources to compare the interop layer with: glibc's own macros and coreutils' <c>stat</c>.</summary>
internal static partial class NativeCrossCheck
{
    /// <summary>glibc's <c>gnu_dev_makedev</c> (what <c>makedev(3)</c> expands to).</summary>
    [LibraryImport("libc", EntryPoint = "gnu_dev_makedev")]
    internal static partial ulong MakeDev(uint major, uint minor);

    /// <summary>
    /// <c>stat -c FORMAT</c> of a path given as text (coreutils does not follow symlinks without <c>-L</c>).
    /// </summary>
    internal static string Stat(string format, string path)
    {
        var start = new ProcessStartInfo("stat") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(format);
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}
