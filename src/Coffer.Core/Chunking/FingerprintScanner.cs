using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Coffer.Core.Chunking;

/// <summary>
/// The chunker's hot loop: finds the first position whose 64-byte window fingerprint has its low
/// 20 bits clear.
/// </summary>
/// <remarks>
/// The fingerprint is a function of the window alone, so the range can be split into independent
/// lanes. One rolling step is a chain of dependent operations (xor, shift, table load, xor); four
/// lanes advanced in lock step keep the core busy instead of waiting on that chain. A block is
/// four consecutive lanes; lane m covers block offsets [m·L, (m+1)·L). When any lane hits, the
/// lanes before it are finished one by one so the earliest position wins. Each lane starts by
/// hashing the 64 bytes before it from a zero digest; lane 0 continues from the previous block.
/// </remarks>
internal static class FingerprintScanner
{
    /// <summary>Bytes per lane: long enough to amortise priming, short enough to waste little past a hit.</summary>
    internal const int LaneLength = 4096;

    /// <summary>Bytes per block of four lanes.</summary>
    internal const int BlockLength = 4 * LaneLength;

    /// <summary>
    /// The first end position e in [<paramref name="from"/>, <paramref name="to"/>) such that
    /// FP(data[e−63 … e]) &amp; <see cref="Chunker.SplitMask"/> == 0, or −1 if none.
    /// Requires 64 ≤ from and to ≤ data.Length.
    /// </summary>
    public static int FindFirstSplit(ReadOnlySpan<byte> data, int from, int to, ChunkerTables tables)
    {
        Debug.Assert(from >= Chunker.WindowSize && to <= data.Length);
        if (from >= to)
        {
            return -1;
        }
        ref var p = ref MemoryMarshal.GetReference(data);
        ref var outTable = ref MemoryMarshal.GetArrayDataReference(tables.OutArray);
        ref var modTable = ref MemoryMarshal.GetArrayDataReference(tables.ModArray);
        var shift = tables.Degree - 8;

        var digest = Prime(ref Unsafe.Add(ref p, from), ref modTable, shift);
        var e = from;
        while (to - e >= BlockLength)
        {
            var hit = ScanBlock(ref Unsafe.Add(ref p, e), ref digest, ref outTable, ref modTable, shift);
            if (hit >= 0)
            {
                return e + hit;
            }
            e += BlockLength;
        }
        var tail = ScanLane(ref Unsafe.Add(ref p, e), 0, to - e, ref digest, ref outTable, ref modTable, shift);
        return tail >= 0 ? e + tail : -1;
    }

    /// <summary>
    /// Scans one block starting at <paramref name="q"/>. <paramref name="digest"/> holds the
    /// fingerprint of the 64 bytes before q and, when nothing is found, is left holding that of
    /// the block's last 64 bytes. Returns the block offset of the first hit, or −1.
    /// </summary>
    private static int ScanBlock(ref byte q, ref ulong digest, ref ulong outTable, ref ulong modTable, int shift)
    {
        const int L = LaneLength;
        const int W = Chunker.WindowSize;
        var d0 = digest;
        ulong d1 = 0, d2 = 0, d3 = 0;
        for (nint i = 0; i < W; i++)
        {
            d1 = Append(d1, Unsafe.Add(ref q, L - W + i), ref modTable, shift);
            d2 = Append(d2, Unsafe.Add(ref q, (2 * L) - W + i), ref modTable, shift);
            d3 = Append(d3, Unsafe.Add(ref q, (3 * L) - W + i), ref modTable, shift);
        }

        nint j = 0;
        for (; j < L; j++)
        {
            d0 = Slide(d0, Unsafe.Add(ref q, j - W), Unsafe.Add(ref q, j), ref outTable, ref modTable, shift);
            d1 = Slide(d1, Unsafe.Add(ref q, j + L - W), Unsafe.Add(ref q, j + L), ref outTable, ref modTable, shift);
            d2 = Slide(d2, Unsafe.Add(ref q, j + (2 * L) - W), Unsafe.Add(ref q, j + (2 * L)), ref outTable, ref modTable, shift);
            d3 = Slide(d3, Unsafe.Add(ref q, j + (3 * L) - W), Unsafe.Add(ref q, j + (3 * L)), ref outTable, ref modTable, shift);
            if ((d0 & Chunker.SplitMask) == 0 || (d1 & Chunker.SplitMask) == 0
                || (d2 & Chunker.SplitMask) == 0 || (d3 & Chunker.SplitMask) == 0)
            {
                return Resolve(ref q, (int)j, d0, d1, d2, ref outTable, ref modTable, shift);
            }
        }
        digest = d3;
        return -1;
    }

    /// <summary>
    /// Some lane hit at lane offset <paramref name="j"/> (lane 3 if none of lanes 0–2 did). Positions in earlier lanes come first,
    /// so finish those lanes (from j + 1 on) before accepting a later lane's hit.
    /// </summary>
    private static int Resolve(ref byte q, int j, ulong d0, ulong d1, ulong d2, ref ulong outTable, ref ulong modTable, int shift)
    {
        const int L = LaneLength;
        var hitLane = (d0 & Chunker.SplitMask) == 0 ? 0
            : (d1 & Chunker.SplitMask) == 0 ? 1
            : (d2 & Chunker.SplitMask) == 0 ? 2
            : 3;
        Span<ulong> digests = [d0, d1, d2];
        for (var lane = 0; lane < hitLane; lane++)
        {
            var hit = ScanLane(ref q, (lane * L) + j + 1, (lane + 1) * L, ref digests[lane], ref outTable, ref modTable, shift);
            if (hit >= 0)
            {
                return hit;
            }
        }
        return (hitLane * L) + j;
    }

    /// <summary>
    /// One lane, one byte at a time: the first offset in [from, to) relative to
    /// <paramref name="q"/> that hits, or −1; <paramref name="digest"/> must hold the fingerprint
    /// of the 64 bytes before q + from and is advanced as far as the scan went.
    /// </summary>
    private static int ScanLane(ref byte q, int from, int to, ref ulong digest, ref ulong outTable, ref ulong modTable, int shift)
    {
        var d = digest;
        for (nint e = from; e < to; e++)
        {
            d = Slide(d, Unsafe.Add(ref q, e - Chunker.WindowSize), Unsafe.Add(ref q, e), ref outTable, ref modTable, shift);
            if ((d & Chunker.SplitMask) == 0)
            {
                digest = d;
                return (int)e;
            }
        }
        digest = d;
        return -1;
    }

    /// <summary>Fingerprint of the 64 bytes that end just before <paramref name="q"/>.</summary>
    private static ulong Prime(ref byte q, ref ulong modTable, int shift)
    {
        ulong d = 0;
        for (nint i = -Chunker.WindowSize; i < 0; i++)
        {
            d = Append(d, Unsafe.Add(ref q, i), ref modTable, shift);
        }
        return d;
    }

    /// <summary>digest · x^8 + input, mod P.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Append(ulong digest, byte input, ref ulong modTable, int shift) =>
        ((digest << 8) | input) ^ Unsafe.Add(ref modTable, (nint)(digest >> shift));

    /// <summary>Drops <paramref name="old"/> (now 64 bytes back) from the window and appends <paramref name="input"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Slide(ulong digest, byte old, byte input, ref ulong outTable, ref ulong modTable, int shift)
    {
        digest ^= Unsafe.Add(ref outTable, (nint)old);
        return ((digest << 8) | input) ^ Unsafe.Add(ref modTable, (nint)(digest >> shift));
    }
}
