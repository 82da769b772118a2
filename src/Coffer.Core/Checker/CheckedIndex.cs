using Coffer.Core.Index;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Storage;

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

    /// <summary>
    /// Loads every index file of <paramref name="repository"/> (in parallel). A file that cannot be loaded goes to
    /// <paramref name="onFailure"/>, which may throw to stop the load or return to leave the file out. Returns the
    /// index and the number of index files listed.
    /// </summary>
    public static async Task<(CheckedIndex Index, int Files)> LoadAsync(Repository.Repository repository, Action<Id, Exception> onFailure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(onFailure);
        var ids = await repository.ListIdsAsync(FileType.Index, cancellationToken).ConfigureAwait(false);
        var index = new CheckedIndex();
        var gate = new Lock();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(ids, parallel, async (id, ct) =>
        {
            try
            {
                var file = await repository.LoadIndexFileAsync(id, ct).ConfigureAwait(false);
                lock (gate)
                {
                    index.Add(id, file);
                }
            }
            catch (Exception e) when (e is CofferException or BackendException)
            {
                onFailure(id, e);
            }
        }).ConfigureAwait(false);
        return (index, ids.Count);
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
