using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using Coffer.Core.Interop;

namespace Coffer.Core.Crypto;

/// <summary>
/// scrypt (RFC 7914) in managed code, with its p lanes run in parallel. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// <c>B = PBKDF2-HMAC-SHA256(P, S, 1, p·128·r)</c>; each of the p 128·r-byte lanes of B goes through ROMix
/// (BlockMix with Salsa20/8, <see cref="ScryptBlockMix"/>) on its own; <c>DK = PBKDF2-HMAC-SHA256(P, B', 1, dkLen)</c>.
/// The lanes are independent (restic's keys commonly have p = 8), so they run on up to
/// <see cref="Environment.ProcessorCount"/> threads at once, and when there are more lanes than threads and the
/// memory allows (<see cref="PairedBudget"/>) a thread runs two lanes interleaved. Each lane in flight has its own 128·r·N-byte V in a huge-page mapping that is
/// unmapped afterwards; fewer lanes are in flight when more would take over
/// <see cref="ScryptParameters.MaxMemoryBytes"/> together.
/// </remarks>
internal static unsafe class Scrypt
{
    /// <summary>
    /// Derives <paramref name="length"/> bytes from <paramref name="password"/> and <paramref name="salt"/>.
    /// The parameters are validated first (<see cref="InvalidDataException"/>), so memory use is bounded.
    /// </summary>
    public static byte[] Derive(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ScryptParameters parameters, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var key = new byte[length];
        Derive(password, salt, parameters, key);
        return key;
    }

    /// <summary>
    /// Derives <c>destination.Length</c> bytes into <paramref name="destination"/>, running lanes on up to
    /// <see cref="Environment.ProcessorCount"/> threads. Validates the parameters first.
    /// </summary>
    public static void Derive(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ScryptParameters parameters, Span<byte> destination) =>
        Derive(password, salt, parameters, destination, Environment.ProcessorCount);

    /// <summary>
    /// Like <see cref="Derive(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ScryptParameters, Span{byte})"/>, with at most
    /// <paramref name="maxThreads"/> lanes in flight (1 runs them one after another on the calling thread).
    /// </summary>
    public static void Derive(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ScryptParameters parameters, Span<byte> destination, int maxThreads)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(destination.Length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxThreads);
        parameters.Validate();
        var n = (int)parameters.N;
        var r = (int)parameters.R;
        var p = (int)parameters.P;
        var laneBytes = 128 * r;
        var b = new byte[p * laneBytes];
        try
        {
            Rfc2898DeriveBytes.Pbkdf2(password, salt, b, 1, HashAlgorithmName.SHA256);
            RunLanes(b, n, r, p, maxThreads, parameters.MemoryBytes);
            Rfc2898DeriveBytes.Pbkdf2(password, b, destination, 1, HashAlgorithmName.SHA256);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(b);
        }
    }

    /// <summary>
    /// Pairs of lanes run interleaved only while all V in flight stay within this many bytes (or two lanes): a
    /// fresh V costs its size in page faults and zeroing, which on virtual machines costs more than the
    /// interleaving gains (measured: p = 5, N = 2^15, r = 8 on 2 cores ran faster as single lanes on 2 threads,
    /// 64 MiB, than as pairs, 128 MiB).
    /// </summary>
    private const long PairedBudget = 64L << 20;

    private static void RunLanes(byte[] b, int n, int r, int p, int maxThreads, long laneMemory)
    {
        // Work items are single lanes or, with more lanes than threads, pairs of lanes that one thread runs
        // interleaved (two Salsa20/8 dependency chains keep the processor busier than one). Each thread has one
        // buffer for the item it runs: per lane V (N blocks of 128·r bytes) and the working blocks X and Y.
        var threads = Math.Min(p, maxThreads);
        var pairs = 0;
        if (p > threads && Vector128.IsHardwareAccelerated && 2 * laneMemory <= ScryptParameters.MaxMemoryBytes
            && 2L * threads * laneMemory <= Math.Max(PairedBudget, 2 * laneMemory))
        {
            var items = Math.Max(threads, (p + 1) / 2);
            pairs = p - items;
        }
        var lanesPerItem = pairs > 0 ? 2 : 1;
        threads = (int)Math.Min(threads, Math.Max(1, ScryptParameters.MaxMemoryBytes / (lanesPerItem * laneMemory)));
        var laneBufferBytes = (nuint)(128L * r * (n + 2));
        var bufferBytes = (nuint)lanesPerItem * laneBufferBytes;
        var itemCount = p - pairs;

        void RunItem(int item, uint* buffer)
        {
            if (item < pairs)
            {
                RoMixPair(b, 2 * item, n, r, buffer, buffer + (laneBufferBytes / sizeof(uint)));
            }
            else
            {
                RoMix(b, item + pairs, n, r, buffer);
            }
        }

        if (threads == 1)
        {
            var buffer = Allocate(bufferBytes);
            try
            {
                for (var item = 0; item < itemCount; item++)
                {
                    RunItem(item, buffer);
                }
            }
            finally
            {
                Release(buffer, bufferBytes);
            }
            return;
        }

        // Buffers are handed from one loop worker to the next: Parallel.For ends a worker after a time slice and
        // starts another, and a fresh buffer for it would be another V to fault in and zero.
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        var spare = new ConcurrentBag<nint>();
        try
        {
            Parallel.For(
                0,
                itemCount,
                options,
                () => spare.TryTake(out var reused) ? reused : (nint)Allocate(bufferBytes),
                (item, _, buffer) =>
                {
                    RunItem(item, (uint*)buffer);
                    return buffer;
                },
                spare.Add);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        finally
        {
            while (spare.TryTake(out var buffer))
            {
                Release((uint*)buffer, bufferBytes);
            }
        }
    }

    /// <summary>ROMix on lanes <paramref name="lane"/> and <paramref name="lane"/> + 1 together (see <see cref="RoMix"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RoMixPair(byte[] b, int lane, int n, int r, uint* buffer0, uint* buffer1)
    {
        var laneBytes = 128 * r;
        var blockWords = 32 * r;
        var blocks = 2 * r;
        var lastBlock = (blocks - 1) * ScryptBlockMix.BlockWords;
        var v0 = buffer0;
        var v1 = buffer1;
        var x0 = buffer0 + ((nint)n * blockWords);
        var x1 = buffer1 + ((nint)n * blockWords);
        var y0 = x0 + blockWords;
        var y1 = x1 + blockWords;
        var mask = (uint)(n - 1);
        ScryptBlockMix.Import(b.AsSpan(lane * laneBytes, laneBytes), v0, blocks);
        ScryptBlockMix.Import(b.AsSpan((lane + 1) * laneBytes, laneBytes), v1, blocks);
        nint offset = 0;
        for (var i = 0; i < n - 1; i++)
        {
            ScryptBlockMix.MixVectorPair(v0 + offset, null, v0 + offset + blockWords, v1 + offset, null, v1 + offset + blockWords, r);
            offset += blockWords;
        }
        ScryptBlockMix.MixVectorPair(v0 + offset, null, x0, v1 + offset, null, x1, r);
        for (var i = 0; i < n; i++)
        {
            var j0 = x0[lastBlock] & mask;
            var j1 = x1[lastBlock] & mask;
            ScryptBlockMix.MixVectorPair(x0, v0 + ((nint)j0 * blockWords), y0, x1, v1 + ((nint)j1 * blockWords), y1, r);
            var swap = x0;
            x0 = y0;
            y0 = swap;
            swap = x1;
            x1 = y1;
            y1 = swap;
        }
        ScryptBlockMix.Export(x0, b.AsSpan(lane * laneBytes, laneBytes), blocks);
        ScryptBlockMix.Export(x1, b.AsSpan((lane + 1) * laneBytes, laneBytes), blocks);
    }

    /// <summary>ROMix (RFC 7914 §5) on lane <paramref name="lane"/> of <paramref name="b"/>, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RoMix(byte[] b, int lane, int n, int r, uint* buffer)
    {
        var laneBytes = 128 * r;
        var blockWords = 32 * r;
        var blocks = 2 * r;
        var lastBlock = (blocks - 1) * ScryptBlockMix.BlockWords;
        var v = buffer;
        var x = buffer + ((nint)n * blockWords);
        var y = x + blockWords;
        var mask = (uint)(n - 1);
        var span = b.AsSpan(lane * laneBytes, laneBytes);

        // V_0 = B; V_{i+1} = BlockMix(V_i); X = BlockMix(V_{N-1}).
        ScryptBlockMix.Import(span, v, blocks);
        var current = v;
        for (var i = 0; i < n - 1; i++)
        {
            var next = current + blockWords;
            ScryptBlockMix.Mix(current, next, r);
            current = next;
        }
        ScryptBlockMix.Mix(current, x, r);

        // X = BlockMix(X xor V_j), j = Integerify(X) mod N: the first word of the last 64-byte block. Word 0 is
        // at position 0 in the stored order, and N ≤ 2^30, so the low 32 bits are enough.
        for (var i = 0; i < n; i++)
        {
            var j = x[lastBlock] & mask;
            ScryptBlockMix.MixXor(x, v + ((nint)j * blockWords), y, r);
            var swap = x;
            x = y;
            y = swap;
        }
        ScryptBlockMix.Export(x, span, blocks);
    }

    /// <summary>
    /// A private anonymous mapping of <paramref name="bytes"/> bytes starting on a 2 MiB boundary, with transparent
    /// huge pages requested: ROMix reads V at random, and with 4 KiB pages nearly every block costs a TLB miss, and
    /// first touching the pages costs a fault per 4 KiB.
    /// </summary>
    private static uint* Allocate(nuint bytes)
    {
        const nuint hugePage = 2 << 20;
        var length = bytes + hugePage;
        var mapping = (byte*)Libc.MMap(null, length, Libc.ProtReadWrite, Libc.MapPrivateAnonymous, -1, 0);
        if (mapping == (byte*)-1)
        {
            throw new OutOfMemoryException($"scrypt: cannot map {bytes} bytes: errno {Marshal.GetLastPInvokeError()}");
        }
        // Give back the unaligned head and the tail beyond the buffer.
        var start = (byte*)(((nuint)mapping + hugePage - 1) & ~(hugePage - 1));
        var head = (nuint)(start - mapping);
        if (head > 0)
        {
            _ = Libc.MUnmap(mapping, head);
        }
        var end = (nuint)start + bytes;
        var tail = (nuint)mapping + length - end;
        if (tail > 0)
        {
            _ = Libc.MUnmap((void*)end, tail);
        }
        // Only a hint: without transparent huge pages the buffer still works with small pages.
        _ = Libc.MAdvise(start, bytes, Libc.MadvHugePage);
        return (uint*)start;
    }

    /// <summary>Unmaps a buffer from <see cref="Allocate"/>; the kernel zeroes the pages before anyone reuses them.</summary>
    private static void Release(uint* buffer, nuint bytes)
    {
        if (buffer is not null)
        {
            _ = Libc.MUnmap(buffer, bytes);
        }
    }
}
