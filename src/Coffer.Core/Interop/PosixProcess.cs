namespace Coffer.Core.Interop;

/// <summary>Process queries on this machine (used to tell a stale lock from a live one).</summary>
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
}
