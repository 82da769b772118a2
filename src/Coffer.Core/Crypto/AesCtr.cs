using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Coffer.Core.Crypto;

/// <summary>
/// AES in counter mode exactly as Go's <c>cipher.NewCTR</c>: the whole 16-byte block is the counter, incremented
/// as one 128-bit big-endian integer. The keystream comes from <see cref="SymmetricAlgorithm.EncryptEcb(ReadOnlySpan{byte}, Span{byte}, PaddingMode)"/>
/// over batches of counter blocks and is XORed in with vector instructions.
/// </summary>
internal static class AesCtr
{
    private const int BlockSize = 16;

    // Counter blocks per ECB call: large enough to amortise the per-call cost, small enough to stay in L1/L2.
    private const int BatchBytes = 16 * 1024;
    private const int StackBatchBytes = 512;

    /// <summary>
    /// XORs <paramref name="input"/> with the keystream starting at <paramref name="counter"/> into
    /// <paramref name="output"/> (same length). Input and output may be the same memory, but must not partially overlap.
    /// <paramref name="aes"/> must hold the key and is used by this call alone while it runs.
    /// </summary>
    public static void Transform(Aes aes, ReadOnlySpan<byte> counter, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (counter.Length != BlockSize)
        {
            throw new ArgumentException("the counter block must be 16 bytes", nameof(counter));
        }
        if (output.Length != input.Length)
        {
            throw new ArgumentException("output must have the input's length", nameof(output));
        }
        if (input.IsEmpty)
        {
            return;
        }

        var hi = BinaryPrimitives.ReadUInt64BigEndian(counter);
        var lo = BinaryPrimitives.ReadUInt64BigEndian(counter[8..]);

        byte[]? rented = null;
        var batch = input.Length <= StackBatchBytes ? StackBatchBytes : BatchBytes;
        Span<byte> scratch = batch == StackBatchBytes
            ? stackalloc byte[2 * StackBatchBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(2 * BatchBytes)).AsSpan(0, 2 * BatchBytes);
        try
        {
            var counters = scratch[..batch];
            var keystream = scratch.Slice(batch, batch);
            var offset = 0;
            while (offset < input.Length)
            {
                var n = Math.Min(batch, input.Length - offset);
                var blocks = (n + BlockSize - 1) / BlockSize;
                FillCounters(counters[..(blocks * BlockSize)], ref hi, ref lo);
                aes.EncryptEcb(counters[..(blocks * BlockSize)], keystream, PaddingMode.None);
                Xor(input.Slice(offset, n), keystream[..n], output.Slice(offset, n));
                offset += n;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void FillCounters(Span<byte> counters, ref ulong hi, ref ulong lo)
    {
        for (var i = 0; i < counters.Length; i += BlockSize)
        {
            BinaryPrimitives.WriteUInt64BigEndian(counters[i..], hi);
            BinaryPrimitives.WriteUInt64BigEndian(counters[(i + 8)..], lo);
            lo++;
            if (lo == 0)
            {
                hi++;
            }
        }
    }

    /// <summary><paramref name="destination"/>[i] = <paramref name="a"/>[i] ^ <paramref name="b"/>[i]; all three have the same length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Xor(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> destination)
    {
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        ref var pd = ref MemoryMarshal.GetReference(destination);
        var length = (nuint)destination.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 64 <= length; i += 64)
            {
                (Vector512.LoadUnsafe(ref pa, i) ^ Vector512.LoadUnsafe(ref pb, i)).StoreUnsafe(ref pd, i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 32 <= length; i += 32)
            {
                (Vector256.LoadUnsafe(ref pa, i) ^ Vector256.LoadUnsafe(ref pb, i)).StoreUnsafe(ref pd, i);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 16 <= length; i += 16)
            {
                (Vector128.LoadUnsafe(ref pa, i) ^ Vector128.LoadUnsafe(ref pb, i)).StoreUnsafe(ref pd, i);
            }
        }
        for (; i < length; i++)
        {
            Unsafe.Add(ref pd, i) = (byte)(Unsafe.Add(ref pa, i) ^ Unsafe.Add(ref pb, i));
        }
    }
}
