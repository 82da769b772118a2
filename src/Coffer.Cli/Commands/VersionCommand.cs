using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer version</c>.</summary>
internal static class VersionCommand
{
    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static Command Create(CommandEnv env)
    {
        var command = new Command("version", "Print version information");
        env.Bind(command, (result, settings, ct) =>
        {
            var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant().Replace("x64", "amd64", StringComparison.Ordinal);
            var os = OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription;
            if (settings.Json)
            {
                env.Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["message_type"] = "version",
                    ["version"] = Version,
                    ["dotnet_version"] = Environment.Version.ToString(),
                    ["go_os"] = os,
                    ["go_arch"] = arch,
                }));
            }
            else
            {
                env.Console.Out.WriteLine($"coffer {Version} compiled with .NET {Environment.Version} on {os}/{arch}");
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
