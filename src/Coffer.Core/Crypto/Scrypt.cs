using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Coffer.Core.Crypto;

/// <summary>
/// scrypt (RFC 7914) in managed code, with its p lanes run in parallel. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// <c>B = PBKDF2-HMAC-SHA256(P, S, 1, p·128·r)</c>; each of the p 128·r-byte lanes of B goes through ROMix
/// (BlockMix with Salsa20/8, <see cref="ScryptBlockMix"/>) on its own; <c>DK = PBKDF2-HMAC-SHA256(P, B', 1, dkLen)</c>.
/// The lanes are independent, so up to <see cref="Environment.ProcessorCount"/> of them run at once (restic's keys
/// commonly have p = 8). Each thread has one native buffer of 128·r·N bytes (plus two blocks) for the lanes it
/// runs, wiped and freed afterwards; fewer threads are used when more would take over
/// <see cref="ScryptParameters.MaxMemoryBytes"/> in total.
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
            var threads = (int)Math.Min(Math.Min(p, maxThreads), Math.Max(1, ScryptParameters.MaxMemoryBytes / parameters.MemoryBytes));
            RunLanes(b, n, r, p, threads);
            Rfc2898DeriveBytes.Pbkdf2(password, b, destination, 1, HashAlgorithmName.SHA256);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(b);
        }
    }

    private static void RunLanes(byte[] b, int n, int r, int p, int threads)
    {
        // One buffer per thread: V (N blocks of 128·r bytes), then the two working blocks X and Y.
        var bufferBytes = (nuint)(128L * r * (n + 2));
        if (threads == 1)
        {
            var buffer = (uint*)NativeMemory.AlignedAlloc(bufferBytes, 64);
            try
            {
                for (var lane = 0; lane < p; lane++)
                {
                    RoMix(b, lane, n, r, buffer);
                }
            }
            finally
            {
                Release(buffer, bufferBytes);
            }
            return;
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        try
        {
            Parallel.For(
                0,
                p,
                options,
                () => (nint)NativeMemory.AlignedAlloc(bufferBytes, 64),
                (lane, _, buffer) =>
                {
                    RoMix(b, lane, n, r, (uint*)buffer);
                    return buffer;
                },
                buffer => Release((uint*)buffer, bufferBytes));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    /// <summary>ROMix (RFC 7914 §5) on lane <paramref name="lane"/> of <paramref name="b"/>, in place.</summary>
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

    private static void Release(uint* buffer, nuint bytes)
    {
        if (buffer is null)
        {
            return;
        }
        NativeMemory.Clear(buffer, bytes);
        NativeMemory.AlignedFree(buffer);
    }
}
