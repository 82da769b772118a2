using Coffer.Core.Primitives;

namespace Coffer.Core.Restorer;

/// <summary>The needed blobs of one pack, sorted by their offset in it.</summary>
internal sealed class PackWork(PackId pack)
{
    /// <summary>The pack.</summary>
    public PackId Pack { get; } = pack;

    /// <summary>The blobs to read, by offset once <see cref="Sort"/> ran.</summary>
    public List<BlobWork> Blobs { get; } = [];

    /// <summary>Stored bytes of all blobs (for ordering and progress).</summary>
    public long StoredBytes => Blobs.Sum(b => (long)b.Blob.Length);

    /// <summary>Orders the blobs by offset.</summary>
    public void Sort() => Blobs.Sort(static (a, b) => a.Blob.Offset.CompareTo(b.Blob.Offset));

    /// <summary>
    /// Groups the (sorted) blobs into ranged reads: neighbours are read together when the gap between them is at
    /// most <paramref name="maxGap"/> bytes and the read stays within <paramref name="maxRead"/> bytes. A single blob
    /// larger than <paramref name="maxRead"/> is read alone.
    /// </summary>
    public List<ReadRange> Ranges(int maxRead, int maxGap)
    {
        var ranges = new List<ReadRange>();
        var i = 0;
        while (i < Blobs.Count)
        {
            long start = Blobs[i].Blob.Offset;
            long end = start + Blobs[i].Blob.Length;
            var j = i + 1;
            while (j < Blobs.Count)
            {
                var next = Blobs[j].Blob;
                long nextEnd = Math.Max(end, next.Offset + (long)next.Length);
                if (next.Offset - end > maxGap || nextEnd - start > maxRead)
                {
                    break;
                }
                end = nextEnd;
                j++;
            }
            ranges.Add(new ReadRange(i, j - i, start, checked((int)(end - start))));
            i = j;
        }
        return ranges;
    }
}
