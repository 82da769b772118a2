namespace Coffer.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        var memory = MemoryDiagnostics.StartIfRequested();
        var registrations = CofferCli.HookSignals(cts);
        try
        {
            var code = await CofferCli.RunAsync(args, CliConsole.System, cts.Token).ConfigureAwait(false);
            await Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (memory is not null)
            {
                await memory.ReportAsync().ConfigureAwait(false);
            }
            return code;
        }
        finally
        {
            foreach (var r in registrations)
            {
                r.Dispose();
            }
        }
    }
}
