namespace Coffer.Core.Maintenance;

/// <summary>What a prune tells its user while it runs.</summary>
public interface IPruneReport
{
    /// <summary>A step begins ("loading indexes...", "repacking packs", ...).</summary>
    void Step(string message);

    /// <summary>A detail shown with more verbosity (each pack removed, ...).</summary>
    void Detail(string message);

    /// <summary>A problem that does not stop the prune (a file that could not be deleted).</summary>
    void Warning(string message);
}
