using Coffer.Core.Maintenance;

namespace Coffer.Core.Tests.Maintenance;

/// <summary>Keeps everything an index rebuild reports, for assertions.</summary>
internal sealed class RecordingIndexRebuildReport : IIndexRebuildReport
{
    public List<IndexRebuildPhase> Phases { get; } = [];

    public List<string> Notices { get; } = [];

    public int PacksRead { get; private set; }

    public void Phase(IndexRebuildPhase phase) => Phases.Add(phase);

    public void Notice(string message) => Notices.Add(message);

    public void PackRead(int done, int total) => PacksRead = done;
}
