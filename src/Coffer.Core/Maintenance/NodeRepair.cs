using System.Text;

namespace Coffer.Core.Maintenance;

/// <summary>
/// One change <see cref="SnapshotRepairer"/> made: the slash-separated path from the snapshot root as raw bytes
/// (names need not be UTF-8) and what was done.
/// </summary>
public sealed record NodeRepair(byte[] RawPath, NodeRepairKind Kind)
{
    /// <summary>The path as text (bytes that are not UTF-8 replaced), for matching and messages.</summary>
    public string Path => Encoding.UTF8.GetString(RawPath);
}
