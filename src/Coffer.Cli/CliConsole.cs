namespace Coffer.Cli;

/// <summary>
/// What a command may touch of its process: output streams, input, environment variables and the
/// working directory. Tests pass their own; <see cref="System"/> is the real process.
/// </summary>
internal sealed class CliConsole
{
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }
    public required TextReader In { get; init; }
    public required Func<string, string?> GetEnvironmentVariable { get; init; }
    public bool IsInputTerminal { get; init; }
    public bool IsOutputTerminal { get; init; }
    public Stream? BinaryOut { get; init; }

    /// <summary>The raw standard input (for <c>backup --stdin</c>); null means the process's.</summary>
    public Stream? BinaryIn { get; init; }

    /// <summary>The zone times are shown in (restic shows local time).</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    /// <summary>Reads a line without echo from the terminal, or null when there is no terminal.</summary>
    public Func<string, string?>? PromptSecret { get; init; }

    public static CliConsole System => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        IsInputTerminal = !Console.IsInputRedirected,
        IsOutputTerminal = !Console.IsOutputRedirected,
        BinaryOut = null,
        PromptSecret = ReadSecretFromTerminal,
    };

    /// <summary>The raw standard input stream.</summary>
    public Stream OpenBinaryIn() => BinaryIn ?? Console.OpenStandardInput();

    /// <summary>The raw standard output stream (for <c>cat blob</c> and friends).</summary>
    public Stream OpenBinaryOut() => BinaryOut ?? Console.OpenStandardOutput();

    private static string? ReadSecretFromTerminal(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            return null;
        }
        Console.Error.Write(prompt);
        var buffer = new global::System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (buffer.Length > 0)
                {
                    buffer.Length--;
                }
                continue;
            }
            if (key.KeyChar != '\0')
            {
                buffer.Append(key.KeyChar);
            }
        }
        Console.Error.WriteLine();
        return buffer.ToString();
    }
}
