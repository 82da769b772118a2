using Coffer.Backends.Local;
using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Cli;

/// <summary>Turns a repository location (restic's syntax) into a backend.</summary>
internal static class RepositoryLocator
{
    public static string ResolveLocation(string? repository, string? repositoryFile)
    {
        if (repository is not null && repositoryFile is not null)
        {
            throw new CofferException("Options -r and --repository-file are mutually exclusive, please specify only one");
        }
        if (repositoryFile is not null)
        {
            try
            {
                repository = File.ReadAllText(repositoryFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CofferException($"unable to read repository file {repositoryFile}: {e.Message}");
            }
        }
        if (string.IsNullOrEmpty(repository))
        {
            throw new CofferException("Please specify repository location (-r or --repository-file)", "or set COFFER_REPOSITORY (RESTIC_REPOSITORY)");
        }
        return repository;
    }

    public static IBackend Open(string location)
    {
        var colon = location.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 1 ? location[..colon] : "";
        switch (scheme)
        {
            case "local":
                return LocalBackend.Open(location[(colon + 1)..]);
            case "sftp":
            case "s3":
            case "rest":
            case "b2":
            case "azure":
            case "gs":
            case "swift":
            case "rclone":
                throw new CofferException($"the {scheme} backend is not supported yet", "use a local path or local:/path");
            default:
                return LocalBackend.Open(location);
        }
    }
}
