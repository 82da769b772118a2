using Coffer.Core.Chunking;
using FsCheck;
using FsCheck.Fluent;

namespace Coffer.Core.Tests.Chunking;

/// <summary>Invariants of the cut points on generated inputs, checked against the plain reference.</summary>
public sealed class ChunkerPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(16);

    [Fact]
    public void CutsObeyTheSplitRule()
    {
        var polynomial = Polynomial.Parse("31c81e17642089");
        var tables = ChunkerTables.For(polynomial);
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var data = Generate(new Random(seed));
            var chunks = new List<(long Offset, byte[] Bytes)>();
            using (var chunker = new Chunker(new TrickleStream(data, seed, maxRead: 3 * 1024 * 1024), tables))
            {
                while (chunker.TryNext(out var chunk))
                {
                    chunks.Add((chunker.ChunkOffset, chunk.ToArray()));
                }
            }

            // Concatenation is the input, offsets are consecutive.
            Assert.Equal(data, chunks.SelectMany(c => c.Bytes).ToArray());
            long expectedOffset = 0;
            foreach (var (offset, bytes) in chunks)
            {
                Assert.Equal(expectedOffset, offset);
                expectedOffset += bytes.Length;
            }

            for (var i = 0; i < chunks.Count; i++)
            {
                var bytes = chunks[i].Bytes;
                Assert.InRange(bytes.Length, 1, Chunker.MaxSize);
                if (i == chunks.Count - 1)
                {
                    continue;
                }
                Assert.True(bytes.Length >= Chunker.MinSize, $"chunk {i} is {bytes.Length} bytes");
                if (bytes.Length < Chunker.MaxSize)
                {
                    var fp = ReferenceChunker.Fingerprint(bytes.AsSpan(bytes.Length - Chunker.WindowSize), polynomial);
                    Assert.Equal(0UL, fp & Chunker.SplitMask);
                }
            }

            // And no earlier position qualified: the plain reference finds the very same cuts.
            Assert.Equal(ReferenceChunker.Lengths(data, polynomial), chunks.Select(c => c.Bytes.Length).ToList());
            return true;
        }).Check(Runs);
    }

    /// <summary>
    /// Up to 12 MiB of one of: random bytes; ACGT letters; 0x01 with random islands (forces
    /// maximum-size cuts next to ordinary ones); zero runs between random stretches (cuts at the minimum).
    /// </summary>
    private static byte[] Generate(Random random)
    {
        var length = random.Next(4) == 0 ? random.Next(0, 2 * Chunker.MinSize) : random.Next(0, 12 * 1024 * 1024);
        var data = new byte[length];
        switch (random.Next(4))
        {
            case 0:
                random.NextBytes(data);
                break;
            case 1:
                for (var i = 0; i < length; i++)
                {
                    data[i] = "ACGT"u8[random.Next(4)];
                }
                break;
            case 2:
                data.AsSpan().Fill(0x01);
                Islands(random, data);
                break;
            default:
                random.NextBytes(data);
                for (var run = 0; run < 4 && length > 0; run++)
                {
                    var start = random.Next(length);
                    data.AsSpan(start, Math.Min(length - start, random.Next(1, 2 * Chunker.MinSize))).Clear();
                }
                break;
        }
        return data;
    }

    private static void Islands(Random random, byte[] data)
    {
        for (var island = 0; island < 3 && data.Length > 0; island++)
        {
            var start = random.Next(data.Length);
            random.NextBytes(data.AsSpan(start, Math.Min(data.Length - start, random.Next(1, 3 * 1024 * 1024))));
        }
    }
}
