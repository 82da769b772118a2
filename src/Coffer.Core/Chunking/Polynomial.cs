using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;

namespace Coffer.Core.Chunking;

/// <summary>
/// A polynomial over GF(2) held in a 64-bit word (bit i = coefficient of x^i): the chunker's
/// modulus. A repository's polynomial is irreducible and of degree 53.
/// </summary>
public readonly record struct Polynomial(ulong Value)
{
    /// <summary>The degree every polynomial chosen for a repository has.</summary>
    public const int RepositoryDegree = 53;

    /// <summary>Degree of the polynomial; -1 for zero.</summary>
    public int Degree => Value == 0 ? -1 : 63 - BitOperations.LeadingZeroCount(Value);

    /// <summary>Parses the hex form stored in the config (no 0x prefix).</summary>
    public static Polynomial Parse(string hex) =>
        ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)
            ? new Polynomial(v)
            : throw new FormatException($"invalid chunker polynomial '{hex}'");

    /// <summary>Lowercase hex without prefix, as restic writes it.</summary>
    public override string ToString() => Value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Picks a random irreducible polynomial of degree 53, as restic does for a new repository.</summary>
    public static Polynomial NewRandom()
    {
        Span<byte> buffer = stackalloc byte[8];
        for (var attempt = 0; attempt < 1_000_000; attempt++)
        {
            RandomNumberGenerator.Fill(buffer);
            var v = BinaryPrimitives.ReadUInt64LittleEndian(buffer);
            v &= (1UL << 54) - 1;
            v |= (1UL << RepositoryDegree) | 1UL;
            var p = new Polynomial(v);
            if (p.IsIrreducible())
            {
                return p;
            }
        }
        throw new InvalidOperationException("no irreducible polynomial found");
    }

    /// <summary>Ben-Or's test: P is irreducible iff gcd(P, x^(2^i) − x mod P) = 1 for i = 1 … deg/2.</summary>
    public bool IsIrreducible()
    {
        var degree = Degree;
        if (degree < 1)
        {
            return false;
        }
        ulong h = 2; // x
        for (var i = 1; i <= degree / 2; i++)
        {
            h = MulMod(h, h, Value);
            if (Gcd(Value, h ^ 2) != 1)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>a mod m over GF(2).</summary>
    internal static ulong Mod(ulong a, ulong m)
    {
        var dm = 63 - BitOperations.LeadingZeroCount(m);
        while (a != 0)
        {
            var da = 63 - BitOperations.LeadingZeroCount(a);
            if (da < dm)
            {
                break;
            }
            a ^= m << (da - dm);
        }
        return a;
    }

    /// <summary>(a · b) mod m over GF(2); a and b must already be reduced (degree below 64).</summary>
    internal static ulong MulMod(ulong a, ulong b, ulong m)
    {
        UInt128 product = 0;
        for (var i = 0; i < 64; i++)
        {
            if ((b & (1UL << i)) != 0)
            {
                product ^= (UInt128)a << i;
            }
        }
        return Mod128(product, m);
    }

    private static ulong Mod128(UInt128 a, ulong m)
    {
        var dm = 63 - BitOperations.LeadingZeroCount(m);
        for (var d = 127; d >= dm; d--)
        {
            if (((a >> d) & 1) != 0)
            {
                a ^= (UInt128)m << (d - dm);
            }
        }
        return (ulong)a;
    }

    private static ulong Gcd(ulong a, ulong b)
    {
        while (b != 0)
        {
            (a, b) = (b, Mod(a, b));
        }
        return a;
    }
}
