using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Coffer.Core.Crypto;

/// <summary>The two-lane BlockMix: two independent mixes with their Salsa20/8 steps interleaved.</summary>
internal static unsafe partial class ScryptBlockMix
{
    /// <summary>
    /// Two independent <see cref="MixVector"/> calls (two lanes) run interleaved, so that the two Salsa20/8
    /// dependency chains overlap in the processor. <paramref name="v0"/> and <paramref name="v1"/> are both null or
    /// both not null.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MixVectorPair(uint* x0, uint* v0, uint* output0, uint* x1, uint* v1, uint* output1, int r)
    {
        var blocks = 2 * r;
        var lastOffset = (blocks - 1) * BlockWords;
        var a0 = Vector128.Load(x0 + lastOffset);
        var b0 = Vector128.Load(x0 + lastOffset + 4);
        var c0 = Vector128.Load(x0 + lastOffset + 8);
        var d0 = Vector128.Load(x0 + lastOffset + 12);
        var a1 = Vector128.Load(x1 + lastOffset);
        var b1 = Vector128.Load(x1 + lastOffset + 4);
        var c1 = Vector128.Load(x1 + lastOffset + 8);
        var d1 = Vector128.Load(x1 + lastOffset + 12);
        var xor = v0 is not null;
        if (xor)
        {
            a0 ^= Vector128.Load(v0 + lastOffset);
            b0 ^= Vector128.Load(v0 + lastOffset + 4);
            c0 ^= Vector128.Load(v0 + lastOffset + 8);
            d0 ^= Vector128.Load(v0 + lastOffset + 12);
            a1 ^= Vector128.Load(v1 + lastOffset);
            b1 ^= Vector128.Load(v1 + lastOffset + 4);
            c1 ^= Vector128.Load(v1 + lastOffset + 8);
            d1 ^= Vector128.Load(v1 + lastOffset + 12);
        }
        for (var i = 0; i < blocks; i++)
        {
            // Block i goes to position i / 2 of the output's first half (i even) or second half (i odd).
            var offset = i * BlockWords;
            a0 ^= Vector128.Load(x0 + offset);
            b0 ^= Vector128.Load(x0 + offset + 4);
            c0 ^= Vector128.Load(x0 + offset + 8);
            d0 ^= Vector128.Load(x0 + offset + 12);
            a1 ^= Vector128.Load(x1 + offset);
            b1 ^= Vector128.Load(x1 + offset + 4);
            c1 ^= Vector128.Load(x1 + offset + 8);
            d1 ^= Vector128.Load(x1 + offset + 12);
            if (xor)
            {
                a0 ^= Vector128.Load(v0 + offset);
                b0 ^= Vector128.Load(v0 + offset + 4);
                c0 ^= Vector128.Load(v0 + offset + 8);
                d0 ^= Vector128.Load(v0 + offset + 12);
                a1 ^= Vector128.Load(v1 + offset);
                b1 ^= Vector128.Load(v1 + offset + 4);
                c1 ^= Vector128.Load(v1 + offset + 8);
                d1 ^= Vector128.Load(v1 + offset + 12);
            }
            SalsaPair(ref a0, ref b0, ref c0, ref d0, ref a1, ref b1, ref c1, ref d1);
            var target = (((i & 1) * r) + (i >> 1)) * BlockWords;
            a0.Store(output0 + target);
            b0.Store(output0 + target + 4);
            c0.Store(output0 + target + 8);
            d0.Store(output0 + target + 12);
            a1.Store(output1 + target);
            b1.Store(output1 + target + 4);
            c1.Store(output1 + target + 8);
            d1.Store(output1 + target + 12);
        }
    }


    /// <summary>Two Salsa20/8 cores (see <see cref="Salsa"/>) with their steps interleaved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SalsaPair(
        ref Vector128<uint> a0, ref Vector128<uint> b0, ref Vector128<uint> c0, ref Vector128<uint> d0,
        ref Vector128<uint> a1, ref Vector128<uint> b1, ref Vector128<uint> c1, ref Vector128<uint> d1)
    {
        var xa0 = a0;
        var xb0 = b0;
        var xc0 = c0;
        var xd0 = d0;
        var xa1 = a1;
        var xb1 = b1;
        var xc1 = c1;
        var xd1 = d1;
        for (var round = 0; round < 8; round += 2)
        {
            xb0 ^= Rotate(xa0 + xd0, 7);
            xb1 ^= Rotate(xa1 + xd1, 7);
            xc0 ^= Rotate(xb0 + xa0, 9);
            xc1 ^= Rotate(xb1 + xa1, 9);
            xd0 ^= Rotate(xc0 + xb0, 13);
            xd1 ^= Rotate(xc1 + xb1, 13);
            xa0 ^= Rotate(xd0 + xc0, 18);
            xa1 ^= Rotate(xd1 + xc1, 18);

            xb0 = Vector128.Shuffle(xb0, Vector128.Create(3u, 0, 1, 2));
            xc0 = Vector128.Shuffle(xc0, Vector128.Create(2u, 3, 0, 1));
            xd0 = Vector128.Shuffle(xd0, Vector128.Create(1u, 2, 3, 0));
            xb1 = Vector128.Shuffle(xb1, Vector128.Create(3u, 0, 1, 2));
            xc1 = Vector128.Shuffle(xc1, Vector128.Create(2u, 3, 0, 1));
            xd1 = Vector128.Shuffle(xd1, Vector128.Create(1u, 2, 3, 0));
            xd0 ^= Rotate(xa0 + xb0, 7);
            xd1 ^= Rotate(xa1 + xb1, 7);
            xc0 ^= Rotate(xd0 + xa0, 9);
            xc1 ^= Rotate(xd1 + xa1, 9);
            xb0 ^= Rotate(xc0 + xd0, 13);
            xb1 ^= Rotate(xc1 + xd1, 13);
            xa0 ^= Rotate(xb0 + xc0, 18);
            xa1 ^= Rotate(xb1 + xc1, 18);
            xb0 = Vector128.Shuffle(xb0, Vector128.Create(1u, 2, 3, 0));
            xc0 = Vector128.Shuffle(xc0, Vector128.Create(2u, 3, 0, 1));
            xd0 = Vector128.Shuffle(xd0, Vector128.Create(3u, 0, 1, 2));
            xb1 = Vector128.Shuffle(xb1, Vector128.Create(1u, 2, 3, 0));
            xc1 = Vector128.Shuffle(xc1, Vector128.Create(2u, 3, 0, 1));
            xd1 = Vector128.Shuffle(xd1, Vector128.Create(3u, 0, 1, 2));
        }
        a0 += xa0;
        b0 += xb0;
        c0 += xc0;
        d0 += xd0;
        a1 += xa1;
        b1 += xb1;
        c1 += xc1;
        d1 += xd1;
    }
}
