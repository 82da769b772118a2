using Coffer.Core.Index;
using Coffer.Core.Primitives;

namespace Coffer.Core.Restorer;

/// <summary>
/// What a restore will do: the directories in pre-order (index 0 is the target root) and the other entries in
/// tree order; files carry their blobs with lengths from the index. <see cref="GroupByPack"/> turns
/// the blobs still to be written into per-pack work.
/// </summary>
internal sealed class RestorePlan
{
    /// <summary>Directories, pre-order; metadata is applied in reverse order (children first).</summary>
    public List<PlannedDirectory> Directories { get; } = [];

    /// <summary>Every non-directory entry, in tree order.</summary>
    public List<PlannedEntry> Entries { get; } = [];

    /// <summary>Items counted for progress: selected directories and all entries.</summary>
    public long TotalItems => Directories.Count(d => d.Selected) + Entries.Count;

    /// <summary>Content bytes of the selected files.</summary>
    public long TotalBytes => Entries.Where(e => e.Kind == EntryKind.File).Sum(e => e.Size);

    /// <summary>
    /// The needed blobs of <paramref name="files"/> grouped by the pack holding them (the index's first copy),
    /// each blob once with all the places it goes; sets every file's <see cref="PlannedEntry.Remaining"/>. Packs
    /// come largest first so the long reads start early.
    /// </summary>
    public static List<PackWork> GroupByPack(MasterIndex index, IEnumerable<PlannedEntry> files)
    {
        // Sized once from the number of blob uses (an upper bound on distinct blobs): growing it would leave every
        // smaller table behind in the large-object heap.
        var list = files as IReadOnlyCollection<PlannedEntry> ?? [.. files];
        var uses = 0L;
        foreach (var file in list)
        {
            uses += file.Blobs.Length;
        }
        var packs = new Dictionary<PackId, PackWork>();
        var blobs = new Dictionary<BlobId, BlobWork>((int)Math.Min(uses, Array.MaxLength / 2));
        foreach (var file in list)
        {
            var count = 0;
            long offset = 0;
            for (var i = 0; i < file.Blobs.Length; i++)
            {
                var at = offset;
                offset += file.Lengths[i];
                if (file.Needed is { } needed && !needed[i])
                {
                    continue;
                }
                var id = file.Blobs[i];
                if (!blobs.TryGetValue(id, out var work))
                {
                    var handle = new BlobHandle(id, BlobType.Data);
                    if (!index.TryLookup(handle, out var found))
                    {
                        // Planning checked every blob; an index changed since cannot happen within one run.
                        throw new InvalidOperationException($"blob {handle} vanished from the index");
                    }
                    work = new BlobWork(found.Blob);
                    blobs.Add(id, work);
                    if (!packs.TryGetValue(found.Pack, out var pack))
                    {
                        pack = new PackWork(found.Pack);
                        packs.Add(found.Pack, pack);
                    }
                    pack.Blobs.Add(work);
                }
                work.AddUse(new BlobUse(file, at));
                count++;
            }
            file.Remaining = count;
        }
        var ordered = packs.Values.ToList();
        foreach (var p in ordered)
        {
            p.Sort();
        }
        ordered.Sort(static (a, b) => b.StoredBytes.CompareTo(a.StoredBytes));
        return ordered;
    }
}
