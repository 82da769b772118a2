using Coffer.Core.Index;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;

namespace Coffer.Core.Checker;

/// <summary>
/// The index as check sees it: a <see cref="MasterIndex"/> for lookups, plus for every pack the blobs the index
/// files list for it (a pack listed by several index files once per distinct entry) and which index files list
/// it. Not thread-safe while being built (<see cref="Add"/> is called under the loader's lock).
/// </summary>
public sealed class CheckedIndex
{
    /// <summary>Every distinct entry, for lookups.</summary>
    public MasterIndex Index { get; } = new();

    /// <summary>Each indexed pack's blobs, in no particular order.</summary>
    public Dictionary<PackId, List<PackedBlob>> Packs { get; } = [];

    /// <summary>The index files that list each pack.</summary>
    public Dictionary<PackId, List<Id>> Listers { get; } = [];

    /// <summary>Adds the packs of one index file (entries another file already gave are not repeated).</summary>
    public void Add(Id indexFile, IndexFile file)
    {
        foreach (var pack in file.Packs)
        {
            if (!Listers.TryGetValue(pack.Id, out var listers))
            {
                Listers[pack.Id] = [indexFile];
                Packs[pack.Id] = [.. pack.Blobs];
                Index.Add(pack.Id, pack.Blobs);
                continue;
            }
            if (!listers.Contains(indexFile))
            {
                listers.Add(indexFile);
            }
            var known = Packs[pack.Id];
            var seen = known.ToHashSet();
            var added = pack.Blobs.Where(seen.Add).ToList();
            known.AddRange(added);
            Index.Add(pack.Id, added);
        }
    }

    /// <summary>The file size a pack must have for the blobs the index lists: blobs, sealed header, trailer.</summary>
    public static long ExpectedSize(IReadOnlyList<PackedBlob> blobs)
    {
        long size = PackLayout.CryptoOverhead + PackLayout.TrailerSize;
        foreach (var b in blobs)
        {
            size += b.Length + PackLayout.EntrySize(b.IsCompressed);
        }
        return size;
    }
}
