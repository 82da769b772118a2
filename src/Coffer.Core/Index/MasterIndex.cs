using System.Runtime.InteropServices;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;

namespace Coffer.Core.Index;

/// <summary>
/// The union of all index files in memory, built for millions of blobs: entries live in fixed-size
/// segments of 48-byte structs (id, pack number and type, offset, length, uncompressed length), found
/// through an open-addressing table of 32-bit entry numbers keyed by the id's hash prefix. No object
/// per blob. A blob stored in several packs has several entries; lookups return the first.
/// Thread-safe: lock-free readers, writers serialised.
/// </summary>
public sealed partial class MasterIndex
{
    private const int SegmentBits = 16;
    private const int SegmentSize = 1 << SegmentBits;
    private const uint TreeFlag = 0x8000_0000;

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct Entry
    {
        public Id Id;
        public uint PackAndType;
        public uint Offset;
        public uint Length;
        public uint Uncompressed;
    }

    // Readers take no lock: entries never move once written, a slot is published only after its entry,
    // and arrays that grow are replaced whole (copy, then publish). Writers serialise on _writeLock.
    private readonly Lock _writeLock = new();
    private readonly Dictionary<PackId, int> _packNumbers = [];
    private Entry[][] _segments = [];
    private PackId[] _packs = new PackId[16];
    private int _packCount;
    private int[] _slots = new int[1024];
    private int _count;

    /// <summary>Bytes of memory one blob entry takes (excluding the slot table).</summary>
    public static int EntryBytes => Marshal.SizeOf<Entry>();

    /// <summary>Number of blob entries (duplicates counted).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Number of distinct packs referenced.</summary>
    public int PackCount => Volatile.Read(ref _packCount);

    /// <summary>Approximate bytes held: entries plus slot table plus pack list.</summary>
    public long MemoryBytes => (long)_segments.Length * SegmentSize * EntryBytes + (long)_slots.Length * 4 + _packs.Length * 32L + _packCount * 48L;

    /// <summary>Adds every pack and blob of an index file.</summary>
    public void Add(IndexFile file)
    {
        lock (_writeLock)
        {
            foreach (var pack in file.Packs)
            {
                var number = PackNumber(pack.Id);
                foreach (var blob in pack.Blobs)
                {
                    AddLocked(number, blob);
                }
            }
        }
    }

    /// <summary>Adds the blobs of one pack (e.g. a pack just uploaded).</summary>
    public void Add(PackId pack, IEnumerable<PackedBlob> blobs)
    {
        lock (_writeLock)
        {
            var number = PackNumber(pack);
            foreach (var blob in blobs)
            {
                AddLocked(number, blob);
            }
        }
    }

    /// <summary>True if the blob is in some pack.</summary>
    public bool Contains(BlobHandle handle) => TryLookup(handle, out _);

    /// <summary>Finds one copy of a blob.</summary>
    public bool TryLookup(BlobHandle handle, out IndexedBlob found)
    {
        var slots = Volatile.Read(ref _slots);
        var mask = slots.Length - 1;
        for (var i = Hash(handle) & mask; ; i = (i + 1) & mask)
        {
            var slot = Volatile.Read(ref slots[i]);
            if (slot == 0)
            {
                found = default;
                return false;
            }
            ref var e = ref EntryAt(slot - 1);
            if (Matches(in e, handle))
            {
                found = ToIndexed(in e);
                return true;
            }
        }
    }

    /// <summary>Every copy of a blob (one per pack holding it).</summary>
    public List<IndexedBlob> LookupAll(BlobHandle handle)
    {
        var result = new List<IndexedBlob>(1);
        var slots = Volatile.Read(ref _slots);
        var mask = slots.Length - 1;
        for (var i = Hash(handle) & mask; ; i = (i + 1) & mask)
        {
            var slot = Volatile.Read(ref slots[i]);
            if (slot == 0)
            {
                return result;
            }
            ref var e = ref EntryAt(slot - 1);
            if (Matches(in e, handle))
            {
                result.Add(ToIndexed(in e));
            }
        }
    }

    /// <summary>All entries, in the order they were added.</summary>
    public List<IndexedBlob> All()
    {
        var count = Count;
        var list = new List<IndexedBlob>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(ToIndexed(in EntryAt(i)));
        }
        return list;
    }

    /// <summary>The distinct packs referenced.</summary>
    public List<PackId> Packs()
    {
        var count = PackCount;
        var packs = Volatile.Read(ref _packs);
        return [.. packs.AsSpan(0, count)];
    }

    private int PackNumber(PackId pack)
    {
        if (!_packNumbers.TryGetValue(pack, out var number))
        {
            number = _packCount;
            if (number >= int.MaxValue)
            {
                throw new InvalidOperationException("too many packs");
            }
            if (number == _packs.Length)
            {
                var bigger = new PackId[_packs.Length * 2];
                _packs.CopyTo(bigger, 0);
                Volatile.Write(ref _packs, bigger);
            }
            _packs[number] = pack;
            _packNumbers.Add(pack, number);
            Volatile.Write(ref _packCount, number + 1);
        }
        return number;
    }

    private void AddLocked(int pack, PackedBlob blob)
    {
        // Skip an exact duplicate (same blob in the same pack listed by two index files).
        var mask = _slots.Length - 1;
        for (var i = Hash(blob.Handle) & mask; ; i = (i + 1) & mask)
        {
            var slot = _slots[i];
            if (slot == 0)
            {
                break;
            }
            ref var existing = ref EntryAt(slot - 1);
            if (Matches(in existing, blob.Handle) && (existing.PackAndType & ~TreeFlag) == (uint)pack)
            {
                return;
            }
        }
        if ((_count + 1) * 10L > _slots.Length * 7L)
        {
            Grow();
        }
        var index = _count;
        if ((index >> SegmentBits) == _segments.Length)
        {
            var segments = new Entry[_segments.Length + 1][];
            _segments.CopyTo(segments, 0);
            segments[^1] = new Entry[SegmentSize];
            Volatile.Write(ref _segments, segments);
        }
        ref var e = ref EntryAt(index);
        e.Id = blob.Handle.Id.Value;
        e.PackAndType = (uint)pack | (blob.Handle.Type == BlobType.Tree ? TreeFlag : 0);
        e.Offset = blob.Offset;
        e.Length = blob.Length;
        e.Uncompressed = blob.UncompressedLength;
        Insert(_slots, index, Hash(blob.Handle));
        Volatile.Write(ref _count, index + 1);
    }

    private void Grow()
    {
        var slots = new int[_slots.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            ref var e = ref EntryAt(i);
            Insert(slots, i, Hash(new BlobHandle(new BlobId(e.Id), (e.PackAndType & TreeFlag) != 0 ? BlobType.Tree : BlobType.Data)));
        }
        Volatile.Write(ref _slots, slots);
    }

    private static void Insert(int[] slots, int index, int hash)
    {
        var mask = slots.Length - 1;
        var i = hash & mask;
        while (slots[i] != 0)
        {
            i = (i + 1) & mask;
        }
        Volatile.Write(ref slots[i], index + 1);
    }

    private ref Entry EntryAt(int index) => ref Volatile.Read(ref _segments)[index >> SegmentBits][index & (SegmentSize - 1)];

    private static int Hash(BlobHandle handle) =>
        (int)((handle.Id.Value.Prefix >> 32) ^ (handle.Type == BlobType.Tree ? 0x9E3779B9u : 0u)) & int.MaxValue;

    private static bool Matches(in Entry e, BlobHandle handle) =>
        e.Id == handle.Id.Value && ((e.PackAndType & TreeFlag) != 0) == (handle.Type == BlobType.Tree);

    private IndexedBlob ToIndexed(in Entry e)
    {
        var type = (e.PackAndType & TreeFlag) != 0 ? BlobType.Tree : BlobType.Data;
        return new IndexedBlob(Volatile.Read(ref _packs)[(int)(e.PackAndType & ~TreeFlag)],
            new PackedBlob(new BlobHandle(new BlobId(e.Id), type), e.Offset, e.Length, e.Uncompressed));
    }
}
