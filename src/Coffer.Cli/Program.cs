namespace Coffer.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        var registrations = CofferCli.HookSignals(cts);
        try
        {
            var code = await CofferCli.RunAsync(args, CliConsole.System, cts.Token).ConfigureAwait(false);
            await Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (Environment.GetEnvironmentVariable("COFFER_DEBUG_GC") == "1")
            {
                // Diagnostics for memory work: how the managed heap looked at its largest.
                var info = GC.GetGCMemoryInfo(GCKind.Any);
                await Console.Error.WriteLineAsync(
                    $"gc: heap {info.HeapSizeBytes >> 20} MiB, committed {info.TotalCommittedBytes >> 20} MiB, fragmented {info.FragmentedBytes >> 20} MiB, " +
                    $"collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, loh {info.GenerationInfo[3].SizeAfterBytes >> 20} MiB, " +
                    $"allocated total {GC.GetTotalAllocatedBytes() >> 20} MiB, peak working set {Environment.WorkingSet >> 20} MiB").ConfigureAwait(false);
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
