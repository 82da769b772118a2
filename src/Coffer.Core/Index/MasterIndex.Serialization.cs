using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using Coffer.Core.Primitives;

namespace Coffer.Core.Index;

// A byte image of the whole table, so that a local cache can bring it back without parsing index files:
// header, pack ids, entries, slot table, each copied as it is in memory (host byte order; the image never
// leaves the machine that wrote it).
public sealed partial class MasterIndex
{
    private const uint ImageMagic = 0x58444943; // "CIDX" read as a little-endian word
    private const int ImageVersion = 1;
    private const int ImageHeaderBytes = 20;

    /// <summary>Bytes <see cref="WriteImage"/> writes for the current content.</summary>
    public long ImageLength
    {
        get
        {
            lock (_writeLock)
            {
                return ImageHeaderBytes + ((long)_packCount * Id.Size) + ((long)_count * EntryBytes) + ((long)_slots.Length * sizeof(int));
            }
        }
    }

    /// <summary>
    /// Writes the table into <paramref name="destination"/>, which must hold <see cref="ImageLength"/> bytes;
    /// returns the bytes written. <see cref="TryReadImage"/> turns them back into an equal index.
    /// </summary>
    public long WriteImage(Span<byte> destination)
    {
        lock (_writeLock)
        {
            var packBytes = _packCount * Id.Size;
            var total = ImageHeaderBytes + (long)packBytes + ((long)_count * EntryBytes) + ((long)_slots.Length * sizeof(int));
            if (destination.Length < total)
            {
                throw new ArgumentException($"the image needs {total} bytes", nameof(destination));
            }
            BinaryPrimitives.WriteUInt32LittleEndian(destination, ImageMagic);
            BinaryPrimitives.WriteInt32LittleEndian(destination[4..], ImageVersion);
            BinaryPrimitives.WriteInt32LittleEndian(destination[8..], _packCount);
            BinaryPrimitives.WriteInt32LittleEndian(destination[12..], _count);
            BinaryPrimitives.WriteInt32LittleEndian(destination[16..], _slots.Length);
            var at = ImageHeaderBytes;
            MemoryMarshal.AsBytes(_packs.AsSpan(0, _packCount)).CopyTo(destination[at..]);
            at += packBytes;
            for (var left = _count; left > 0;)
            {
                var segment = (_count - left) >> SegmentBits;
                var take = Math.Min(left, SegmentSize);
                var bytes = MemoryMarshal.AsBytes(_segments[segment].AsSpan(0, take));
                bytes.CopyTo(destination[at..]);
                at += bytes.Length;
                left -= take;
            }
            MemoryMarshal.AsBytes(_slots.AsSpan()).CopyTo(destination[at..]);
            return at + ((long)_slots.Length * sizeof(int));
        }
    }

    /// <summary>
    /// An index made from an image <see cref="WriteImage"/> wrote; null when <paramref name="image"/> is not one
    /// (see <see cref="TryReadImage(long, ImageReader)"/>).
    /// </summary>
    public static MasterIndex? TryReadImage(ReadOnlySpan<byte> image)
    {
        var copy = image.ToArray();
        return TryReadImage(copy.Length, (offset, destination) => copy.AsSpan((int)offset, destination.Length).CopyTo(destination));
    }

    /// <summary>
    /// An index made from an image of <paramref name="length"/> bytes that <paramref name="read"/> supplies piece by
    /// piece, straight into the index's own arrays (an image kept encrypted is decrypted there, with no copy of the
    /// whole in between). Null when it is not an image <see cref="WriteImage"/> wrote: wrong header, lengths that do
    /// not add up, a pack number or slot out of range. Nothing is sized from the image before its length confirms it.
    /// </summary>
    public static MasterIndex? TryReadImage(long length, ImageReader read)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (length < ImageHeaderBytes)
        {
            return null;
        }
        Span<byte> header = stackalloc byte[ImageHeaderBytes];
        read(0, header);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != ImageMagic || BinaryPrimitives.ReadInt32LittleEndian(header[4..]) != ImageVersion)
        {
            return null;
        }
        var packCount = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        var count = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        var slotCount = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        if (packCount < 0 || count < 0 || slotCount < 1024 || !BitOperations.IsPow2(slotCount) || count * 10L > slotCount * 7L
            || length != ImageHeaderBytes + ((long)packCount * Id.Size) + ((long)count * EntryBytes) + ((long)slotCount * sizeof(int)))
        {
            return null;
        }
        // Every array is sized first; then the pieces are read in parallel (filling fresh memory costs a page fault
        // per 4 KiB, and those run in parallel too), each checked as it arrives.
        var index = new MasterIndex();
        index._packs = new PackId[Math.Max(16, packCount)];
        var segments = new Entry[(count + SegmentSize - 1) >> SegmentBits][];
        for (var s = 0; s < segments.Length; s++)
        {
            segments[s] = new Entry[SegmentSize];
        }
        var slots = new int[slotCount];
        long entriesAt = ImageHeaderBytes + ((long)packCount * Id.Size);
        var slotsAt = entriesAt + ((long)count * EntryBytes);
        var used = 0;
        var valid = 1;
        Parallel.For(0, segments.Length + 2, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, piece =>
        {
            if (piece == 0)
            {
                read(ImageHeaderBytes, MemoryMarshal.AsBytes(index._packs.AsSpan(0, packCount)));
            }
            else if (piece <= segments.Length)
            {
                var s = piece - 1;
                var take = Math.Min(SegmentSize, count - (s << SegmentBits));
                var entries = segments[s].AsSpan(0, take);
                read(entriesAt + ((long)s * SegmentSize * EntryBytes), MemoryMarshal.AsBytes(entries));
                foreach (ref readonly var e in entries)
                {
                    if ((e.PackAndType & ~TreeFlag) >= (uint)packCount)
                    {
                        Volatile.Write(ref valid, 0);
                        return;
                    }
                }
            }
            else
            {
                read(slotsAt, MemoryMarshal.AsBytes(slots.AsSpan()));
                foreach (var slot in slots)
                {
                    if (slot < 0 || slot > count)
                    {
                        Volatile.Write(ref valid, 0);
                        return;
                    }
                    used += slot == 0 ? 0 : 1;
                }
            }
        });
        if (valid == 0 || used != count)
        {
            return null;
        }
        for (var i = 0; i < packCount; i++)
        {
            if (!index._packNumbers.TryAdd(index._packs[i], i))
            {
                return null;
            }
        }
        index._packCount = packCount;
        index._segments = segments;
        index._count = count;
        index._slots = slots;
        return index;
    }
}
