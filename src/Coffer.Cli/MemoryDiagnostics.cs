using Coffer.Core.Packing;

namespace Coffer.Cli;

/// <summary>
/// Memory diagnostics for performance work, off unless <c>COFFER_DEBUG_MEMORY=1</c>: a background thread
/// samples the resident set every 100 ms and remembers how the managed heap and the unmanaged buffers
/// stood at its largest; <see cref="ReportAsync"/> prints that and the collection counts to stderr.
/// </summary>
internal sealed class MemoryDiagnostics
{
    private long _peakResident;
    private string _atPeak = "";

    private MemoryDiagnostics()
    {
    }

    /// <summary>Starts sampling when the environment asks for it; otherwise returns null.</summary>
    public static MemoryDiagnostics? StartIfRequested()
    {
        if (Environment.GetEnvironmentVariable("COFFER_DEBUG_MEMORY") != "1")
        {
            return null;
        }
        var diagnostics = new MemoryDiagnostics();
        new Thread(diagnostics.Sample) { IsBackground = true, Name = "memory diagnostics" }.Start();
        return diagnostics;
    }

    private void Sample()
    {
        while (true)
        {
            var resident = Environment.WorkingSet;
            if (resident > Volatile.Read(ref _peakResident))
            {
                var info = GC.GetGCMemoryInfo(GCKind.Any);
                Volatile.Write(ref _atPeak,
                    $"resident {resident >> 20} MiB: managed committed {info.TotalCommittedBytes >> 20} MiB " +
                    $"(heap {info.HeapSizeBytes >> 20}, large objects {info.GenerationInfo[3].SizeAfterBytes >> 20}), " +
                    $"unmanaged buffers {NativeBuffer.LiveBytes >> 20} MiB");
                Volatile.Write(ref _peakResident, resident);
            }
            Thread.Sleep(100);
        }
    }

    /// <summary>Prints the state at the sampled peak and the totals of the whole run.</summary>
    public Task ReportAsync() => Console.Error.WriteLineAsync(
        $"memory: peak {Volatile.Read(ref _atPeak)}; collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, " +
        $"allocated {GC.GetTotalAllocatedBytes() >> 20} MiB in all");
}
