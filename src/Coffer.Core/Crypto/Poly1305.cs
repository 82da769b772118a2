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
        new State(key).Finish(message, tag);
    }

    /// <summary>
    /// A tag computed piece by piece: <see cref="Append"/> whole 16-byte blocks as they come, then
    /// <see cref="Finish"/> with the rest. The same tag as <see cref="ComputeTag"/> over the concatenation.
    /// </summary>
    public struct State
    {
        private readonly ulong _r0;
        private readonly ulong _r1;
        private readonly ulong _r2;
        private readonly ulong _s1;
        private readonly ulong _s2;
        private readonly ulong _pad0;
        private readonly ulong _pad1;
        private ulong _h0;
        private ulong _h1;
        private ulong _h2;

        /// <summary>Starts a tag under the 32-byte <paramref name="key"/> <c>r || s</c> (<c>r</c> is clamped here).</summary>
        public State(ReadOnlySpan<byte> key)
        {
            if (key.Length != KeySize)
            {
                throw new ArgumentException($"Poly1305 key must be {KeySize} bytes", nameof(key));
            }
            // r, clamped (the masks below include the RFC 8439 clamp), as three limbs.
            var t0 = BinaryPrimitives.ReadUInt64LittleEndian(key);
            var t1 = BinaryPrimitives.ReadUInt64LittleEndian(key[8..]);
            _r0 = t0 & 0xffc0fffffff;
            _r1 = ((t0 >> 44) | (t1 << 20)) & 0xfffffc0ffff;
            _r2 = (t1 >> 24) & 0x00ffffffc0f;
            _s1 = _r1 * (5 << 2);
            _s2 = _r2 * (5 << 2);
            _pad0 = BinaryPrimitives.ReadUInt64LittleEndian(key[16..]);
            _pad1 = BinaryPrimitives.ReadUInt64LittleEndian(key[24..]);
        }

        /// <summary>Adds whole blocks; <c>blocks.Length</c> must be a multiple of 16.</summary>
        public void Append(ReadOnlySpan<byte> blocks)
        {
            if ((blocks.Length & 15) != 0)
            {
                throw new ArgumentException("only whole 16-byte blocks can be appended before the end", nameof(blocks));
            }
            Blocks(blocks, _r0, _r1, _r2, _s1, _s2, ref _h0, ref _h1, ref _h2, 1UL << 40);
        }

        /// <summary>Adds <paramref name="rest"/> (any length) as the end of the message and writes the 16-byte tag.</summary>
        public readonly void Finish(ReadOnlySpan<byte> rest, Span<byte> tag)
        {
            if (tag.Length < TagSize)
            {
                throw new ArgumentException($"Poly1305 tag needs {TagSize} bytes", nameof(tag));
            }
            ulong h0 = _h0, h1 = _h1, h2 = _h2;
            var full = rest.Length & ~15;
            Blocks(rest[..full], _r0, _r1, _r2, _s1, _s2, ref h0, ref h1, ref h2, 1UL << 40);
            if (full != rest.Length)
            {
                Span<byte> last = stackalloc byte[16];
                last.Clear();
                var tail = rest[full..];
                tail.CopyTo(last);
                last[tail.Length] = 1;
                Blocks(last, _r0, _r1, _r2, _s1, _s2, ref h0, ref h1, ref h2, 0);
            }
            Span<byte> pad = stackalloc byte[16];
            BinaryPrimitives.WriteUInt64LittleEndian(pad, _pad0);
            BinaryPrimitives.WriteUInt64LittleEndian(pad[8..], _pad1);
            Poly1305.Finish(pad, h0, h1, h2, tag);
        }
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
