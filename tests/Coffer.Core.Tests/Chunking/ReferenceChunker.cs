using Coffer.Core.Chunking;

namespace Coffer.Core.Tests.Chunking;

/// <summary>
/// A deliberately plain implementation of the split rule of restic-format.md §9.2, built only on
/// <see cref="Polynomial"/> arithmetic (no tables, no lanes, no skipping tricks), to check the
/// real chunker against.
/// </summary>
internal static class ReferenceChunker
{
    /// <summary>FP(window): the bytes as one big-endian number, as a GF(2) polynomial, mod P.</summary>
    public static ulong Fingerprint(ReadOnlySpan<byte> window, Polynomial p)
    {
        ulong fp = 0;
        foreach (var b in window)
        {
            fp = Polynomial.Mod((fp << 8) | b, p.Value);
        }
        return fp;
    }

    /// <summary>Chunk lengths of <paramref name="data"/> by the stateless rule.</summary>
    public static List<int> Lengths(ReadOnlySpan<byte> data, Polynomial p)
    {
        // x^(8·64) mod P: the weight a byte has when it leaves the window.
        ulong x512 = 1;
        for (var i = 0; i < Chunker.WindowSize; i++)
        {
            x512 = Polynomial.Mod(x512 << 8, p.Value);
        }
        var lengths = new List<int>();
        var start = 0;
        while (start < data.Length)
        {
            var rest = data.Length - start;
            if (rest <= Chunker.MinSize)
            {
                lengths.Add(rest);
                break;
            }
            var length = rest;
            var firstEnd = start + Chunker.MinSize - 1;
            var fp = Fingerprint(data.Slice(firstEnd - Chunker.WindowSize + 1, Chunker.WindowSize), p);
            for (var e = firstEnd; e < data.Length; e++)
            {
                if (e > firstEnd)
                {
                    var leaving = CarrylessMultiply(data[e - Chunker.WindowSize], x512);
                    fp = Polynomial.Mod((fp << 8) | data[e], p.Value) ^ Polynomial.Mod(leaving, p.Value);
                }
                var chunkLength = e - start + 1;
                if ((fp & Chunker.SplitMask) == 0 || chunkLength == Chunker.MaxSize)
                {
                    length = chunkLength;
                    break;
                }
            }
            lengths.Add(length);
            start += length;
        }
        return lengths;
    }

    private static ulong CarrylessMultiply(byte a, ulong b)
    {
        ulong product = 0;
        for (var i = 0; i < 8; i++)
        {
            if ((a & (1 << i)) != 0)
            {
                product ^= b << i;
            }
        }
        return product;
    }
}
