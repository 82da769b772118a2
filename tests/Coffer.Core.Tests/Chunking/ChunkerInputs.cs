using System.Text;
using Coffer.Testing;

namespace Coffer.Core.Tests.Chunking;

/// <summary>
/// The inputs of the chunker reference vectors, rebuilt byte for byte as
/// <c>fixtures/restic-v2/make-source-tree.py</c> writes them.
/// </summary>
internal static class ChunkerInputs
{
    private const int BigDnaLength = 4_500_000;
    private const int InsertAt = 2_000_000;

    private static readonly Lazy<byte[]> BigDnaV1 = new(() => Dna("big.dna", BigDnaLength));
    private static readonly Lazy<byte[]> BigDnaV2 = new(() => Insert(BigDnaV1.Value));

    /// <summary>big.dna of source-tree version 1 or 2. Shared: do not modify.</summary>
    public static byte[] BigDna(int version) => version == 2 ? BigDnaV2.Value : BigDnaV1.Value;

    /// <summary>The input a vector's <c>input</c> field names.</summary>
    public static byte[] ForVector(string input, int length) => input switch
    {
        "big.dna" or "big.dna version 1" => BigDna(1),
        "big.dna version 2" => BigDna(2),
        "rand.bin" => SourceTree.Stream("rand.bin", length),
        "zeros.bin" => new byte[length],
        "ones.bin" => Filled(length, 0x01),
        _ => throw new ArgumentException($"unknown vector input '{input}'", nameof(input)),
    };

    /// <summary><paramref name="length"/> bytes over ACGT: 2 bits of stream(seed) per letter, high bits first.</summary>
    public static byte[] Dna(string seed, int length)
    {
        var raw = SourceTree.Stream(seed, (length + 3) / 4);
        var result = new byte[length];
        ReadOnlySpan<byte> alphabet = "ACGT"u8;
        for (var i = 0; i < length; i++)
        {
            result[i] = alphabet[(raw[i / 4] >> (6 - (2 * (i % 4)))) & 3];
        }
        return result;
    }

    public static byte[] Filled(int length, byte value)
    {
        var result = new byte[length];
        result.AsSpan().Fill(value);
        return result;
    }

    private static byte[] Insert(byte[] v1)
    {
        var inserted = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("INSERTED-", 100)));
        return [.. v1.AsSpan(0, InsertAt), .. inserted, .. v1.AsSpan(InsertAt)];
    }
}
