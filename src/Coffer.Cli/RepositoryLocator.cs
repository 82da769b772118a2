using Coffer.Backends.Local;
using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Cli;

/// <summary>Turns a repository location (restic's syntax) into a backend.</summary>
internal static class RepositoryLocator
{
    /// <summary>
    /// The repository location from <paramref name="repository"/> or the file <paramref name="repositoryFile"/>; the
    /// option names and <paramref name="description"/> only shape the messages.
    /// </summary>
    public static string ResolveLocation(string? repository, string? repositoryFile, string repositoryOption = "-r", string repositoryFileOption = "--repository-file",
        string description = "repository")
    {
        if (repository is not null && repositoryFile is not null)
        {
            throw new CofferException($"Options {repositoryOption} and {repositoryFileOption} are mutually exclusive, please specify only one");
        }
        if (repositoryFile is not null)
        {
            try
            {
                repository = File.ReadAllText(repositoryFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CofferException($"unable to read {description} file {repositoryFile}: {e.Message}");
            }
        }
        if (string.IsNullOrEmpty(repository))
        {
            throw description == "repository"
                ? new CofferException("Please specify repository location (-r or --repository-file)", "or set COFFER_REPOSITORY (RESTIC_REPOSITORY)")
                : new CofferException($"Please specify a {description} location ({repositoryOption} or {repositoryFileOption})");
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
