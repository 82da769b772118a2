namespace Coffer.Core.Maintenance;

/// <summary>An <see cref="IIndexRebuildReport"/> that ignores everything.</summary>
public sealed class NullIndexRebuildReport : IIndexRebuildReport
{
    /// <summary>The shared instance.</summary>
    public static NullIndexRebuildReport Instance { get; } = new();

    /// <inheritdoc />
    public void Phase(IndexRebuildPhase phase)
    {
    }

    /// <inheritdoc />
    public void Notice(string message)
    {
    }

    /// <inheritdoc />
    public void PackRead(int done, int total)
    {
    }
}
