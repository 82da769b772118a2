namespace Coffer.Cli;

/// <summary>Process exit codes, the same as restic's.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Fatal = 1;
    public const int BackupIncomplete = 3;
    public const int NoRepository = 10;
    public const int LockFailed = 11;
    public const int WrongPassword = 12;
    public const int Interrupted = 130;
}
