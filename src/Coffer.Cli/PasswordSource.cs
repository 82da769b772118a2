using System.Diagnostics;
using System.Text;
using Coffer.Core.Primitives;

namespace Coffer.Cli;

/// <summary>
/// Finds a password as restic does: a command, a file, the environment, or a prompt without echo.
/// The password is only ever held in memory; a command's output is read from its pipe and the
/// password never appears on any child's command line.
/// </summary>
internal static class PasswordSource
{
    public static async Task<byte[]> ResolveAsync(CliConsole console, string? file, string? command, string? environmentValue, string prompt, CancellationToken cancellationToken)
    {
        if (file is not null && command is not null)
        {
            throw new CofferException("Password file and command are mutually exclusive", "give either --password-file or --password-command");
        }
        if (command is not null)
        {
            return await RunCommandAsync(command, cancellationToken).ConfigureAwait(false);
        }
        if (file is not null)
        {
            return ReadFile(file);
        }
        if (environmentValue is not null)
        {
            return Encoding.UTF8.GetBytes(environmentValue);
        }
        var typed = console.IsInputTerminal ? console.PromptSecret?.Invoke(prompt) : null;
        if (typed is null)
        {
            throw new CofferException("Resolving password failed: no password given", "use --password-file, --password-command or COFFER_PASSWORD (RESTIC_PASSWORD)");
        }
        if (typed.Length == 0)
        {
            throw new CofferException("an empty password is not allowed");
        }
        return Encoding.UTF8.GetBytes(typed);
    }

    /// <summary>Asks twice for a new password on a terminal; otherwise uses the given source.</summary>
    public static async Task<byte[]> ResolveNewAsync(CliConsole console, string? file, string? command, string? environmentValue, string prompt, CancellationToken cancellationToken)
    {
        if (file is not null || command is not null || environmentValue is not null || !console.IsInputTerminal || console.PromptSecret is null)
        {
            var pw = await ResolveAsync(console, file, command, environmentValue, prompt, cancellationToken).ConfigureAwait(false);
            return pw.Length == 0 ? throw new CofferException("an empty password is not allowed") : pw;
        }
        var first = console.PromptSecret(prompt) ?? "";
        var second = console.PromptSecret("enter password again: ") ?? "";
        if (first != second)
        {
            throw new CofferException("passwords do not match");
        }
        if (first.Length == 0)
        {
            throw new CofferException("an empty password is not allowed");
        }
        return Encoding.UTF8.GetBytes(first);
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            return Encoding.UTF8.GetBytes(text.TrimEnd('\r', '\n'));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CofferException($"Resolving password failed: cannot read password file {path}: {e.Message}");
        }
    }

    private static async Task<byte[]> RunCommandAsync(string command, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        using var process = Process.Start(psi) ?? throw new CofferException($"password command failed to start: {command}");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new CofferException($"password command failed with exit code {process.ExitCode}");
        }
        var pw = output.TrimEnd('\r', '\n');
        return pw.Length == 0 ? throw new CofferException("password command returned an empty password") : Encoding.UTF8.GetBytes(pw);
    }
}
