using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Coffer.Core.Crypto;

/// <summary>
/// scrypt's BlockMix with Salsa20/8 (RFC 7914 §3, §4) over blocks kept in a shuffled word order.
/// </summary>
/// <remarks>
/// <para>
/// A 64-byte block is the 4×4 Salsa20 matrix x0…x15. Stored here, its words are in the order of
/// <see cref="Order"/>: the four diagonals (x0,x5,x10,x15), (x4,x9,x14,x3), (x8,x13,x2,x7), (x12,x1,x6,x11).
/// In that layout a column round is four vector quarter-round steps over the four lanes at once, and a row
/// round is the same after rotating three of the vectors by one, two and three lanes. Everything else scrypt
/// does to blocks (XOR, the feed-forward addition, copying) is word by word, so the order only matters on the
/// way in (<see cref="Import"/>) and out (<see cref="Export"/>). Word 0 (what Integerify reads) stays at
/// position 0.
/// </para>
/// <para>
/// Without hardware vectors a scalar Salsa20/8 runs on the same layout. Pointers are to 16-byte aligned,
/// caller-owned memory; nothing is bounds-checked on the hot path.
/// </para>
/// <para>The two-lane variant, which interleaves two independent mixes, is in <c>ScryptBlockMix.Pair.cs</c>.</para>
/// </remarks>
internal static unsafe partial class ScryptBlockMix
{
    /// <summary>Words (uint) in one 64-byte Salsa20 block.</summary>
    public const int BlockWords = 16;

    /// <summary>Position k of a stored block holds Salsa20 word <c>Order[k]</c>.</summary>
    public static ReadOnlySpan<byte> Order => [0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11];

    /// <summary>Whether the vector Salsa20/8 is used (otherwise the scalar one).</summary>
    public static bool IsVectorized => Vector128.IsHardwareAccelerated;

    /// <summary>Reads <paramref name="blocks"/> little-endian 64-byte blocks into the stored order.</summary>
    public static void Import(ReadOnlySpan<byte> source, uint* destination, int blocks)
    {
        var order = Order;
        for (var block = 0; block < blocks; block++)
        {
            var words = source.Slice(block * 64, 64);
            for (var k = 0; k < BlockWords; k++)
            {
                destination[k] = BinaryPrimitives.ReadUInt32LittleEndian(words[(order[k] * 4)..]);
            }
            destination += BlockWords;
        }
    }

    /// <summary>Writes <paramref name="blocks"/> stored blocks back as little-endian bytes in Salsa20 word order.</summary>
    public static void Export(uint* source, Span<byte> destination, int blocks)
    {
        var order = Order;
        for (var block = 0; block < blocks; block++)
        {
            var words = destination.Slice(block * 64, 64);
            for (var k = 0; k < BlockWords; k++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(words[(order[k] * 4)..], source[k]);
            }
            source += BlockWords;
        }
    }

    /// <summary>
    /// <c>output = BlockMix(input)</c> for 2·<paramref name="r"/> stored blocks. <paramref name="output"/> must not
    /// overlap <paramref name="input"/>.
    /// </summary>
    public static void Mix(uint* input, uint* output, int r)
    {
        if (Vector128.IsHardwareAccelerated)
        {
            MixVector(input, null, output, r);
        }
        else
        {
            MixScalar(input, null, output, r);
        }
    }

    /// <summary>
    /// <c>output = BlockMix(x XOR v)</c> for 2·<paramref name="r"/> stored blocks, without forming the XOR in
    /// memory. <paramref name="output"/> must overlap neither input.
    /// </summary>
    public static void MixXor(uint* x, uint* v, uint* output, int r)
    {
        if (Vector128.IsHardwareAccelerated)
        {
            MixVector(x, v, output, r);
        }
        else
        {
            MixScalar(x, v, output, r);
        }
    }

    /// <summary>Salsa20/8 core with feed-forward on one stored block, in place, with vector instructions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SalsaVector(uint* block)
    {
        var a = Vector128.Load(block);
        var b = Vector128.Load(block + 4);
        var c = Vector128.Load(block + 8);
        var d = Vector128.Load(block + 12);
        Salsa(ref a, ref b, ref c, ref d);
        a.Store(block);
        b.Store(block + 4);
        c.Store(block + 8);
        d.Store(block + 12);
    }

    /// <summary>Salsa20/8 core with feed-forward on one stored block, in place, word by word.</summary>
    public static void SalsaScalar(uint* block)
    {
        var order = Order;
        Span<uint> x = stackalloc uint[BlockWords];
        for (var k = 0; k < BlockWords; k++)
        {
            x[order[k]] = block[k];
        }
        Span<uint> input = stackalloc uint[BlockWords];
        x.CopyTo(input);
        for (var round = 0; round < 8; round += 2)
        {
            // Columns.
            x[4] ^= uint.RotateLeft(x[0] + x[12], 7);
            x[8] ^= uint.RotateLeft(x[4] + x[0], 9);
            x[12] ^= uint.RotateLeft(x[8] + x[4], 13);
            x[0] ^= uint.RotateLeft(x[12] + x[8], 18);
            x[9] ^= uint.RotateLeft(x[5] + x[1], 7);
            x[13] ^= uint.RotateLeft(x[9] + x[5], 9);
            x[1] ^= uint.RotateLeft(x[13] + x[9], 13);
            x[5] ^= uint.RotateLeft(x[1] + x[13], 18);
            x[14] ^= uint.RotateLeft(x[10] + x[6], 7);
            x[2] ^= uint.RotateLeft(x[14] + x[10], 9);
            x[6] ^= uint.RotateLeft(x[2] + x[14], 13);
            x[10] ^= uint.RotateLeft(x[6] + x[2], 18);
            x[3] ^= uint.RotateLeft(x[15] + x[11], 7);
            x[7] ^= uint.RotateLeft(x[3] + x[15], 9);
            x[11] ^= uint.RotateLeft(x[7] + x[3], 13);
            x[15] ^= uint.RotateLeft(x[11] + x[7], 18);
            // Rows.
            x[1] ^= uint.RotateLeft(x[0] + x[3], 7);
            x[2] ^= uint.RotateLeft(x[1] + x[0], 9);
            x[3] ^= uint.RotateLeft(x[2] + x[1], 13);
            x[0] ^= uint.RotateLeft(x[3] + x[2], 18);
            x[6] ^= uint.RotateLeft(x[5] + x[4], 7);
            x[7] ^= uint.RotateLeft(x[6] + x[5], 9);
            x[4] ^= uint.RotateLeft(x[7] + x[6], 13);
            x[5] ^= uint.RotateLeft(x[4] + x[7], 18);
            x[11] ^= uint.RotateLeft(x[10] + x[9], 7);
            x[8] ^= uint.RotateLeft(x[11] + x[10], 9);
            x[9] ^= uint.RotateLeft(x[8] + x[11], 13);
            x[10] ^= uint.RotateLeft(x[9] + x[8], 18);
            x[12] ^= uint.RotateLeft(x[15] + x[14], 7);
            x[13] ^= uint.RotateLeft(x[12] + x[15], 9);
            x[14] ^= uint.RotateLeft(x[13] + x[12], 13);
            x[15] ^= uint.RotateLeft(x[14] + x[13], 18);
        }
        for (var k = 0; k < BlockWords; k++)
        {
            block[k] = x[order[k]] + input[order[k]];
        }
    }

    /// <summary>
    /// <c>output = BlockMix(x XOR v)</c> (or <c>BlockMix(x)</c> when <paramref name="v"/> is null) with vector
    /// instructions, software-emulated if they are not accelerated.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MixVector(uint* x, uint* v, uint* output, int r)
    {
        var blocks = 2 * r;
        var last = x + ((blocks - 1) * BlockWords);
        var a = Vector128.Load(last);
        var b = Vector128.Load(last + 4);
        var c = Vector128.Load(last + 8);
        var d = Vector128.Load(last + 12);
        if (v is not null)
        {
            var lastV = v + ((blocks - 1) * BlockWords);
            a ^= Vector128.Load(lastV);
            b ^= Vector128.Load(lastV + 4);
            c ^= Vector128.Load(lastV + 8);
            d ^= Vector128.Load(lastV + 12);
        }
        var even = output;
        var odd = output + (r * BlockWords);
        for (var i = 0; i < blocks; i += 2)
        {
            // Block i goes to the first half of the output, block i + 1 to the second half.
            a ^= Vector128.Load(x);
            b ^= Vector128.Load(x + 4);
            c ^= Vector128.Load(x + 8);
            d ^= Vector128.Load(x + 12);
            if (v is not null)
            {
                a ^= Vector128.Load(v);
                b ^= Vector128.Load(v + 4);
                c ^= Vector128.Load(v + 8);
                d ^= Vector128.Load(v + 12);
            }
            Salsa(ref a, ref b, ref c, ref d);
            a.Store(even);
            b.Store(even + 4);
            c.Store(even + 8);
            d.Store(even + 12);

            a ^= Vector128.Load(x + 16);
            b ^= Vector128.Load(x + 20);
            c ^= Vector128.Load(x + 24);
            d ^= Vector128.Load(x + 28);
            if (v is not null)
            {
                a ^= Vector128.Load(v + 16);
                b ^= Vector128.Load(v + 20);
                c ^= Vector128.Load(v + 24);
                d ^= Vector128.Load(v + 28);
                v += 2 * BlockWords;
            }
            Salsa(ref a, ref b, ref c, ref d);
            a.Store(odd);
            b.Store(odd + 4);
            c.Store(odd + 8);
            d.Store(odd + 12);

            x += 2 * BlockWords;
            even += BlockWords;
            odd += BlockWords;
        }
    }

    /// <summary><c>output = BlockMix(x XOR v)</c> (or <c>BlockMix(x)</c> when <paramref name="v"/> is null), word by word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MixScalar(uint* x, uint* v, uint* output, int r)
    {
        var blocks = 2 * r;
        uint* t = stackalloc uint[BlockWords];
        var last = x + ((blocks - 1) * BlockWords);
        for (var k = 0; k < BlockWords; k++)
        {
            t[k] = last[k] ^ (v is null ? 0 : v[((blocks - 1) * BlockWords) + k]);
        }
        for (var i = 0; i < blocks; i++)
        {
            var source = x + (i * BlockWords);
            for (var k = 0; k < BlockWords; k++)
            {
                t[k] ^= source[k] ^ (v is null ? 0 : v[(i * BlockWords) + k]);
            }
            SalsaScalar(t);
            var target = output + ((((i & 1) * r) + (i >> 1)) * BlockWords);
            for (var k = 0; k < BlockWords; k++)
            {
                target[k] = t[k];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Salsa(ref Vector128<uint> a, ref Vector128<uint> b, ref Vector128<uint> c, ref Vector128<uint> d)
    {
        var a0 = a;
        var b0 = b;
        var c0 = c;
        var d0 = d;
        var xa = a;
        var xb = b;
        var xc = c;
        var xd = d;
        for (var round = 0; round < 8; round += 2)
        {
            // Column round: the lanes are the four columns' quarter-rounds.
            xb ^= Rotate(xa + xd, 7);
            xc ^= Rotate(xb + xa, 9);
            xd ^= Rotate(xc + xb, 13);
            xa ^= Rotate(xd + xc, 18);

            // Row round: with xb, xc, xd turned by 3, 2, 1 lanes the rows line up the same way, with the
            // roles of xb and xd swapped.
            xb = Vector128.Shuffle(xb, Vector128.Create(3u, 0, 1, 2));
            xc = Vector128.Shuffle(xc, Vector128.Create(2u, 3, 0, 1));
            xd = Vector128.Shuffle(xd, Vector128.Create(1u, 2, 3, 0));
            xd ^= Rotate(xa + xb, 7);
            xc ^= Rotate(xd + xa, 9);
            xb ^= Rotate(xc + xd, 13);
            xa ^= Rotate(xb + xc, 18);
            xb = Vector128.Shuffle(xb, Vector128.Create(1u, 2, 3, 0));
            xc = Vector128.Shuffle(xc, Vector128.Create(2u, 3, 0, 1));
            xd = Vector128.Shuffle(xd, Vector128.Create(3u, 0, 1, 2));
        }
        a = xa + a0;
        b = xb + b0;
        c = xc + c0;
        d = xd + d0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Rotate(Vector128<uint> value, [ConstantExpected(Min = 1, Max = 31)] byte count)
    {
        if (Avx512F.VL.IsSupported)
        {
            return Avx512F.VL.RotateLeft(value, count);
        }
        return Vector128.ShiftLeft(value, count) | Vector128.ShiftRightLogical(value, 32 - count);
    }
}
