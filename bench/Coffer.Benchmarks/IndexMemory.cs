using Coffer.Core.Index;

namespace Coffer.Benchmarks;

/// <summary>What building a <see cref="MasterIndex"/> of <paramref name="Blobs"/> entries cost in managed memory.</summary>
public sealed record IndexMemory(int Blobs, int Entries, long RetainedBytes, long AllocatedBytes, long ReportedBytes,
    List<IndexFile> Files, MasterIndex Index)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"MasterIndex {Blobs:N0} blobs ({Entries:N0} entries): retained {RetainedBytes / (double)Blobs:F1} bytes per blob " +
        $"({RetainedBytes / 1048576.0:F1} MiB), allocated while building {AllocatedBytes / (double)Blobs:F1} bytes per blob " +
        $"({AllocatedBytes / 1048576.0:F1} MiB); MemoryBytes estimate {ReportedBytes / (double)Blobs:F1} bytes per blob";
}
