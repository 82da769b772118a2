using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Archiver;

/// <summary>
/// Chooses the parent snapshot as restic does: the newest snapshot not after the new one's time, of
/// the same host, whose paths include every target. Tags are not considered.
/// </summary>
public static class ParentSelector
{
    public static Snapshot? Choose(IEnumerable<Snapshot> snapshots, string hostname, IReadOnlyList<string> absoluteTargets, GoTime time)
    {
        Snapshot? best = null;
        foreach (var s in snapshots)
        {
            if (s.Hostname != hostname || s.Time > time || !absoluteTargets.All(t => s.Paths.Contains(t, StringComparer.Ordinal)))
            {
                continue;
            }
            if (best is null || s.Time > best.Time)
            {
                best = s;
            }
        }
        return best;
    }
}
