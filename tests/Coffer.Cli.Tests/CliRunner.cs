using System.Text;
using Coffer.Cli;

namespace Coffer.Cli.Tests;

/// <summary>Runs the command line in-process with its own console, environment and time zone.</summary>
internal sealed class CliRunner
{
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>Whether the command sees its standard output as a terminal.</summary>
    public bool IsOutputTerminal { get; set; }

    public sealed record Result(int ExitCode, string Out, string Error, byte[] Binary)
    {
        public string[] Lines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public async Task<Result> RunAsync(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var binary = new MemoryStream();
        var console = new CliConsole
        {
            Out = output,
            Error = error,
            In = new StringReader(""),
            GetEnvironmentVariable = name => Environment.TryGetValue(name, out var v) ? v : null,
            IsInputTerminal = false,
            IsOutputTerminal = IsOutputTerminal,
            BinaryOut = binary,
            TimeZone = TimeZone,
        };
        var code = await CofferCli.RunAsync(args, console, CancellationToken.None);
        var outText = output.ToString();
        if (binary.Length > 0)
        {
            outText += Encoding.UTF8.GetString(binary.ToArray());
        }
        return new Result(code, outText, error.ToString(), binary.ToArray());
    }
}
