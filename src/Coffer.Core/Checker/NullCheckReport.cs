namespace Coffer.Core.Checker;

/// <summary>An <see cref="ICheckReport"/> that ignores everything (the outcome is still in the <see cref="CheckResult"/>).</summary>
public sealed class NullCheckReport : ICheckReport
{
    /// <summary>The shared instance.</summary>
    public static NullCheckReport Instance { get; } = new();

    /// <inheritdoc />
    public void Phase(CheckPhase phase)
    {
    }

    /// <inheritdoc />
    public void ReadPlanned(CheckReadPlan plan)
    {
    }

    /// <inheritdoc />
    public void Problem(CheckProblem problem)
    {
    }

    /// <inheritdoc />
    public void PackRead(int done, int total)
    {
    }
}
