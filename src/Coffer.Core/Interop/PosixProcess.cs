namespace Coffer.Core.Interop;

/// <summary>Process queries and signals on this machine (used to tell a stale lock from a live one).</summary>
public static class PosixProcess
{
    /// <summary>
    /// True when a process with this id exists: <c>kill(pid, 0)</c> succeeds, or fails with <c>EPERM</c> (it
    /// exists but belongs to someone else). Ids of zero or below are never a single process and give false.
    /// </summary>
    public static bool Exists(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }
        return Libc.Kill(pid, 0) == 0 || System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == PosixErrors.NotPermitted;
    }

    /// <summary>
    /// Sends <paramref name="signal"/> (a Linux signal number such as 2 for SIGINT, 9 for SIGKILL, 15 for
    /// SIGTERM) to the process <paramref name="pid"/> with <c>kill(2)</c>. Ids of zero or below would address
    /// process groups and are refused. Throws <see cref="PosixException"/> when the call fails (for example
    /// <c>ESRCH</c>: no such process).
    /// </summary>
    public static void Signal(int pid, int signal)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        ArgumentOutOfRangeException.ThrowIfNegative(signal);
        if (Libc.Kill(pid, signal) != 0)
        {
            throw new PosixException("kill", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>
    /// How many file descriptors this process may have open (the soft <c>RLIMIT_NOFILE</c>, which the .NET runtime
    /// raises to the hard limit at start); 1024 when it cannot be read.
    /// </summary>
    public static unsafe long OpenFileLimit()
    {
        // rlim_t is an unsigned long: pointer-sized on Linux.
        var limits = stackalloc nuint[2];
        return Libc.GetRLimit(Libc.RLimitNoFile, limits) == 0 ? (long)Math.Min((ulong)limits[0], int.MaxValue) : 1024;
    }
}
