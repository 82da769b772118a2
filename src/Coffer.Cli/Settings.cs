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
    string? Compression)
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
            Nonempty(result.GetValue(options.Compression)) ?? Env("COMPRESSION"));
    }

    /// <summary>The password given directly in the environment (COFFER_PASSWORD, then RESTIC_PASSWORD).</summary>
    public static string? EnvironmentPassword(CliConsole console, string prefix = "") => Environment(console, prefix + "PASSWORD");

    /// <summary>A setting from the environment: COFFER_<paramref name="name"/>, then RESTIC_<paramref name="name"/>; empty counts as unset.</summary>
    public static string? Environment(CliConsole console, string name) =>
        Nonempty(console.GetEnvironmentVariable("COFFER_" + name)) ?? Nonempty(console.GetEnvironmentVariable("RESTIC_" + name));

    /// <summary>Null for a null or empty value.</summary>
    public static string? Nonempty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
