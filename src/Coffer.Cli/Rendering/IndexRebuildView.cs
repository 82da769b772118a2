using Coffer.Core.Maintenance;

namespace Coffer.Cli.Rendering;

/// <summary>
/// Renders <c>repair index</c> as restic does: the steps on standard output (not with <c>--quiet</c>), each finding
/// on standard error, and on a terminal a live count of the pack headers read. The rebuilder serialises its calls.
/// </summary>
internal sealed class IndexRebuildView(TextWriter output, TextWriter error, bool quiet, bool terminal) : IIndexRebuildReport
{
    private bool _progressShown;

    public void Phase(IndexRebuildPhase phase)
    {
        EndProgress();
        if (quiet)
        {
            return;
        }
        output.WriteLine(phase switch
        {
            IndexRebuildPhase.LoadingIndexes => "loading indexes...",
            IndexRebuildPhase.GettingPacks => "getting pack files to read...",
            IndexRebuildPhase.ReadingPacks => "reading pack files",
            IndexRebuildPhase.Rebuilding => "rebuilding index",
            IndexRebuildPhase.DeletingObsolete => "deleting obsolete index files",
            _ => "done",
        });
    }

    public void Notice(string message)
    {
        EndProgress();
        error.WriteLine(message);
    }

    public void PackRead(int done, int total)
    {
        if (quiet || !terminal)
        {
            return;
        }
        output.Write($"\r[{done} / {total}] pack files read");
        _progressShown = true;
    }

    private void EndProgress()
    {
        if (_progressShown)
        {
            output.WriteLine();
            _progressShown = false;
        }
    }
}
