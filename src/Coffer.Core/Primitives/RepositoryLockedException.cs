namespace Coffer.Core.Primitives;

/// <summary>Another process holds a lock that conflicts with the one requested.</summary>
public sealed class RepositoryLockedException : CofferException
{
    /// <summary>Creates the exception with a description of the conflicting lock.</summary>
    public RepositoryLockedException(string description)
        : base($"unable to create lock in backend: repository is already locked {description}",
               "if that process is gone, 'coffer unlock' removes stale locks")
    {
    }
}
