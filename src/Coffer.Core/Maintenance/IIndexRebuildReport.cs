namespace Coffer.Core.Maintenance;

/// <summary>
/// What <see cref="IndexRebuilder"/> tells its caller while it runs. Calls are never concurrent: the rebuilder
/// serialises them.
/// </summary>
public interface IIndexRebuildReport
{
    /// <summary>A new step begins.</summary>
    void Phase(IndexRebuildPhase phase);

    /// <summary>
    /// One finding about one file: an index file that cannot be read, a pack added, re-read or dropped, a pack
    /// whose header cannot be read.
    /// </summary>
    void Notice(string message);

    /// <summary>Another pack header was read (or failed): <paramref name="done"/> of <paramref name="total"/>.</summary>
    void PackRead(int done, int total);
}
