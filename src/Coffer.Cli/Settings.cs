using System.CommandLine;

namespace Coffer.Cli;

/// <summary>The global settings of one invocation: options, falling back to COFFER_* then RESTIC_* variables.</summary>
internal sealed record Settings(
    string? Repository,
    string? RepositoryFile,
    string? PasswordFile,
    string? PasswordCommand,
    string? KeyHint,
    bool NoLock,
    bool Json,
    bool Quiet,
    bool Verbose,
    string? Compression,
    string? CacheDirectory)
{
    public static Settings From(ParseResult result, GlobalOptions options, CliConsole console)
    {
        string? Env(string name) => Environment(console, name);
        return new Settings(
            Nonempty(result.GetValue(options.Repo)) ?? Env("REPOSITORY"),
            Nonempty(result.GetValue(options.RepositoryFile)) ?? Env("REPOSITORY_FILE"),
            Nonempty(result.GetValue(options.PasswordFile)) ?? Env("PASSWORD_FILE"),
            Nonempty(result.GetValue(options.PasswordCommand)) ?? Env("PASSWORD_COMMAND"),
            Nonempty(result.GetValue(options.KeyHint)) ?? Env("KEY_HINT"),
            result.GetValue(options.NoLock),
            result.GetValue(options.Json),
            result.GetValue(options.Quiet),
            result.GetValue(options.Verbose),
            Nonempty(result.GetValue(options.Compression)) ?? Env("COMPRESSION"),
            result.GetValue(options.NoCache) ? null : CacheDirectoryOf(Nonempty(result.GetValue(options.CacheDir)), console));
    }

    /// <summary>
    /// The local cache directory: <c>--cache-dir</c>, else $COFFER_CACHE_DIR, else $XDG_CACHE_HOME/coffer, else
    /// ~/.cache/coffer; null when none can be named. restic's $RESTIC_CACHE_DIR is not used: that directory is
    /// restic's own.
    /// </summary>
    public static string? CacheDirectoryOf(string? option, CliConsole console)
    {
        if ((option ?? Nonempty(console.GetEnvironmentVariable("COFFER_CACHE_DIR"))) is { } given)
        {
            return Path.GetFullPath(given);
        }
        if (Nonempty(console.GetEnvironmentVariable("XDG_CACHE_HOME")) is { } xdg && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "coffer");
        }
        return Nonempty(console.GetEnvironmentVariable("HOME")) is { } home && Path.IsPathRooted(home) ? Path.Combine(home, ".cache", "coffer") : null;
    }

    /// <summary>The password given directly in the environment (COFFER_PASSWORD, then RESTIC_PASSWORD).</summary>
    public static string? EnvironmentPassword(CliConsole console, string prefix = "") => Environment(console, prefix + "PASSWORD");

    /// <summary>A setting from the environment: COFFER_<paramref name="name"/>, then RESTIC_<paramref name="name"/>; empty counts as unset.</summary>
    public static string? Environment(CliConsole console, string name) =>
        Nonempty(console.GetEnvironmentVariable("COFFER_" + name)) ?? Nonempty(console.GetEnvironmentVariable("RESTIC_" + name));

    /// <summary>Null for a null or empty value.</summary>
    public static string? Nonempty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
