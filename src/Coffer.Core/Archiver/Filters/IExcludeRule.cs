namespace Coffer.Core.Archiver.Filters;

/// <summary>One backup exclude rule. Implementations are thread-safe: the archiver asks from several workers.</summary>
public interface IExcludeRule
{
    /// <summary>Whether <paramref name="candidate"/> is left out of the backup (with everything below it, for a directory).</summary>
    bool Excludes(in ExcludeCandidate candidate);
}
