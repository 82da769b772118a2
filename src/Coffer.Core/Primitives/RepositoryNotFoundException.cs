namespace Coffer.Core.Primitives;

/// <summary>The location holds no repository (no config file), or cannot be reached at all.</summary>
public sealed class RepositoryNotFoundException : CofferException
{
    /// <summary>Creates the exception.</summary>
    public RepositoryNotFoundException(string location, Exception? inner = null)
        : base($"repository does not exist: unable to open config file at {location}", "is the repository path right? create one with 'coffer init'", inner)
    {
    }
}
