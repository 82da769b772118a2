using Coffer.Core.Primitives;

namespace Coffer.Cli;

/// <summary>Writing the lock file failed (exit code 11, like a conflicting lock).</summary>
internal sealed class LockFailedException : CofferException
{
    public LockFailedException(string message, Exception inner)
        : base(message, null, inner)
    {
    }
}
