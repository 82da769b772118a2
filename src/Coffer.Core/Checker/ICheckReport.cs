namespace Coffer.Core.Checker;

/// <summary>
/// Receives what <c>check</c> does and finds, as it happens. Calls are serialised by the checker (never two at
/// once), so implementations need not be thread-safe, but they should be quick.
/// </summary>
public interface ICheckReport
{
    /// <summary>A step begins.</summary>
    void Phase(CheckPhase phase);

    /// <summary>The read-data step has chosen its packs (called right after <see cref="Phase"/> with <see cref="CheckPhase.ReadData"/>).</summary>
    void ReadPlanned(CheckReadPlan plan);

    /// <summary>A finding (an error or a hint).</summary>
    void Problem(CheckProblem problem);

    /// <summary>Another pack has been read in the read-data step: <paramref name="done"/> of <paramref name="total"/>.</summary>
    void PackRead(int done, int total);
}
