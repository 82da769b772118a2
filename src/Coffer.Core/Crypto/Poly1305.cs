using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Coffer.Core.Crypto;

/// <summary>
/// Poly1305 one-time authenticator (RFC 8439 §2.5) over a 32-byte key <c>r || s</c>; <c>r</c> is clamped here.
/// Scalar, radix 2^44 (three limbs), products through <see cref="Math.BigMul(ulong, ulong, out ulong)"/>.
/// Stateless and thread-safe.
/// </summary>
internal static class Poly1305
{
    /// <summary>Key size: 16 bytes <c>r</c> followed by 16 bytes <c>s</c>.</summary>
    public const int KeySize = 32;

    /// <summary>Tag size.</summary>
    public const int TagSize = 16;

    private const ulong Mask44 = 0xfffffffffff;
    private const ulong Mask42 = 0x3ffffffffff;

    /// <summary>Computes the tag of <paramref name="message"/> under <paramref name="key"/> into <paramref name="tag"/>.</summary>
    public static void ComputeTag(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, Span<byte> tag)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"Poly1305 key must be {KeySize} bytes", nameof(key));
        }
        if (tag.Length < TagSize)
        {
            throw new ArgumentException($"Poly1305 tag needs {TagSize} bytes", nameof(tag));
        }

        // r, clamped (the masks below include the RFC 8439 clamp), as three limbs.
        var t0 = BinaryPrimitives.ReadUInt64LittleEndian(key);
        var t1 = BinaryPrimitives.ReadUInt64LittleEndian(key[8..]);
        var r0 = t0 & 0xffc0fffffff;
        var r1 = ((t0 >> 44) | (t1 << 20)) & 0xfffffc0ffff;
        var r2 = (t1 >> 24) & 0x00ffffffc0f;
        var s1 = r1 * (5 << 2);
        var s2 = r2 * (5 << 2);

        ulong h0 = 0, h1 = 0, h2 = 0;
        var full = message.Length & ~15;
        Blocks(message[..full], r0, r1, r2, s1, s2, ref h0, ref h1, ref h2, 1UL << 40);
        if (full != message.Length)
        {
            Span<byte> last = stackalloc byte[16];
            last.Clear();
            var rest = message[full..];
            rest.CopyTo(last);
            last[rest.Length] = 1;
            Blocks(last, r0, r1, r2, s1, s2, ref h0, ref h1, ref h2, 0);
        }

        Finish(key[16..], h0, h1, h2, tag);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocks(
        ReadOnlySpan<byte> m, ulong r0, ulong r1, ulong r2, ulong s1, ulong s2,
        ref ulong h0Ref, ref ulong h1Ref, ref ulong h2Ref, ulong hibit)
    {
        ulong h0 = h0Ref, h1 = h1Ref, h2 = h2Ref;
        while (m.Length >= 16)
        {
            var t0 = BinaryPrimitives.ReadUInt64LittleEndian(m);
            var t1 = BinaryPrimitives.ReadUInt64LittleEndian(m[8..]);
            h0 += t0 & Mask44;
            h1 += ((t0 >> 44) | (t1 << 20)) & Mask44;
            h2 += ((t1 >> 24) & Mask42) | hibit;

            // d = h * r mod 2^130 - 5, limbs of 44/44/42 bits; each sum of products fits in 128 bits.
            var d0Hi = Math.BigMul(h0, r0, out var d0Lo);
            AddProduct(ref d0Hi, ref d0Lo, h1, s2);
            AddProduct(ref d0Hi, ref d0Lo, h2, s1);
            var d1Hi = Math.BigMul(h0, r1, out var d1Lo);
            AddProduct(ref d1Hi, ref d1Lo, h1, r0);
            AddProduct(ref d1Hi, ref d1Lo, h2, s2);
            var d2Hi = Math.BigMul(h0, r2, out var d2Lo);
            AddProduct(ref d2Hi, ref d2Lo, h1, r1);
            AddProduct(ref d2Hi, ref d2Lo, h2, r0);

            var c = (d0Lo >> 44) | (d0Hi << 20);
            h0 = d0Lo & Mask44;
            Add(ref d1Hi, ref d1Lo, c);
            c = (d1Lo >> 44) | (d1Hi << 20);
            h1 = d1Lo & Mask44;
            Add(ref d2Hi, ref d2Lo, c);
            c = (d2Lo >> 42) | (d2Hi << 22);
            h2 = d2Lo & Mask42;
            h0 += c * 5;
            c = h0 >> 44;
            h0 &= Mask44;
            h1 += c;

            m = m[16..];
        }
        h0Ref = h0;
        h1Ref = h1;
        h2Ref = h2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddProduct(ref ulong hi, ref ulong lo, ulong a, ulong b)
    {
        var pHi = Math.BigMul(a, b, out var pLo);
        var sum = lo + pLo;
        hi += pHi + (sum < lo ? 1UL : 0UL);
        lo = sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref ulong hi, ref ulong lo, ulong value)
    {
        var sum = lo + value;
        hi += sum < lo ? 1UL : 0UL;
        lo = sum;
    }

    private static void Finish(ReadOnlySpan<byte> s, ulong h0, ulong h1, ulong h2, Span<byte> tag)
    {
        // Fully carry h.
        var c = h1 >> 44;
        h1 &= Mask44;
        h2 += c;
        c = h2 >> 42;
        h2 &= Mask42;
        h0 += c * 5;
        c = h0 >> 44;
        h0 &= Mask44;
        h1 += c;
        c = h1 >> 44;
        h1 &= Mask44;
        h2 += c;
        c = h2 >> 42;
        h2 &= Mask42;
        h0 += c * 5;
        c = h0 >> 44;
        h0 &= Mask44;
        h1 += c;

        // g = h + 5 - 2^130; take g when it does not borrow (h >= p), without branching.
        var g0 = h0 + 5;
        c = g0 >> 44;
        g0 &= Mask44;
        var g1 = h1 + c;
        c = g1 >> 44;
        g1 &= Mask44;
        var g2 = h2 + c - (1UL << 42);

        c = (g2 >> 63) - 1;
        g0 &= c;
        g1 &= c;
        g2 &= c;
        c = ~c;
        h0 = (h0 & c) | g0;
        h1 = (h1 & c) | g1;
        h2 = (h2 & c) | g2;

        // tag = (h + s) mod 2^128
        var t0 = BinaryPrimitives.ReadUInt64LittleEndian(s);
        var t1 = BinaryPrimitives.ReadUInt64LittleEndian(s[8..]);
        h0 += t0 & Mask44;
        c = h0 >> 44;
        h0 &= Mask44;
        h1 += (((t0 >> 44) | (t1 << 20)) & Mask44) + c;
        c = h1 >> 44;
        h1 &= Mask44;
        h2 += ((t1 >> 24) & Mask42) + c;
        h2 &= Mask42;

        BinaryPrimitives.WriteUInt64LittleEndian(tag, h0 | (h1 << 44));
        BinaryPrimitives.WriteUInt64LittleEndian(tag[8..], (h1 >> 20) | (h2 << 24));
    }
}
