using System.CommandLine;

namespace Coffer.Cli;

/// <summary>The options every command accepts, with restic's names.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Repo { get; } = new("--repo", "-r") { Description = "repository to back up to or restore from (default: $COFFER_REPOSITORY, $RESTIC_REPOSITORY)", Recursive = true };
    public Option<string?> RepositoryFile { get; } = new("--repository-file") { Description = "file to read the repository location from (default: $COFFER_REPOSITORY_FILE, $RESTIC_REPOSITORY_FILE)", Recursive = true };
    public Option<string?> PasswordFile { get; } = new("--password-file", "-p") { Description = "file to read the repository password from (default: $COFFER_PASSWORD_FILE, $RESTIC_PASSWORD_FILE)", Recursive = true };
    public Option<string?> PasswordCommand { get; } = new("--password-command") { Description = "shell command to obtain the repository password from (default: $COFFER_PASSWORD_COMMAND, $RESTIC_PASSWORD_COMMAND)", Recursive = true };
    public Option<string?> KeyHint { get; } = new("--key-hint") { Description = "key ID of key to try decrypting first (default: $COFFER_KEY_HINT, $RESTIC_KEY_HINT)", Recursive = true };
    public Option<bool> NoLock { get; } = new("--no-lock") { Description = "do not lock the repository (only for read-only commands)", Recursive = true };
    public Option<bool> Json { get; } = new("--json") { Description = "set output mode to JSON for commands that support it", Recursive = true };
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "do not output comprehensive progress report", Recursive = true };
    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "be verbose; show stack traces of errors", Recursive = true };
    public Option<bool> NoCache { get; } = new("--no-cache") { Description = "do not use a local cache", Recursive = true };
    public Option<string?> CacheDir { get; } = new("--cache-dir") { Description = "set the cache directory (default: $COFFER_CACHE_DIR, $XDG_CACHE_HOME/coffer, ~/.cache/coffer)", Recursive = true };
    public Option<string?> Compression { get; } = new("--compression") { Description = "compression mode (only available for repository format version 2), one of (auto|off|max) (default: $COFFER_COMPRESSION, $RESTIC_COMPRESSION)", Recursive = true };

    public void AddTo(RootCommand root)
    {
        foreach (var o in new Option[] { Repo, RepositoryFile, PasswordFile, PasswordCommand, KeyHint, NoLock, Json, Quiet, Verbose, NoCache, CacheDir, Compression })
        {
            root.Options.Add(o);
        }
    }
}
