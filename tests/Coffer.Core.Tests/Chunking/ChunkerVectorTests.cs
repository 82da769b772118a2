using System.Security.Cryptography;
using System.Text.Json;
using Coffer.Core.Chunking;

namespace Coffer.Core.Tests.Chunking;

/// <summary>Cut points against real restic output: chunker-vectors.json and the fixture's facts.json.</summary>
public sealed class ChunkerVectorTests
{
    private static readonly Lazy<JsonDocument> Vectors = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(FixturePaths.ResticV2, "chunker-vectors.json"))));

    private static readonly Lazy<JsonDocument> Facts = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(FixturePaths.Expected, "facts.json"))));

    public static TheoryData<int> VectorIndexes =>
        [.. Enumerable.Range(0, Vectors.Value.RootElement.GetProperty("vectors").GetArrayLength())];

    [Fact]
    public void AllSixVectorsArePresent() => Assert.Equal(6, VectorIndexes.Count);

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void ChunkerReproducesVector(int index)
    {
        var vector = Vectors.Value.RootElement.GetProperty("vectors")[index];
        var polynomial = Polynomial.Parse(vector.GetProperty("polynomial").GetString()!);
        var tables = ChunkerTables.For(polynomial);
        var length = vector.GetProperty("input_length").GetInt32();
        var input = ChunkerInputs.ForVector(vector.GetProperty("input").GetString()!, length);
        Assert.Equal(length, input.Length);
        Assert.Equal(vector.GetProperty("input_sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(input)));

        var expected = vector.GetProperty("chunks").EnumerateArray()
            .Select(c => new ChunkRecord(c.GetProperty("offset").GetInt64(), c.GetProperty("length").GetInt32(), c.GetProperty("sha256").GetString()!))
            .ToList();
        Assert.Equal(expected, ChunkRecord.ReadAll(new MemoryStream(input, writable: false), tables));
        Assert.Equal(expected, ChunkRecord.FindAll(input, tables));

        foreach (var c in vector.GetProperty("chunks").EnumerateArray())
        {
            if (!c.TryGetProperty("fingerprint_of_last_64_bytes", out var fpHex))
            {
                continue;
            }
            var fp = ulong.Parse(fpHex.GetString()!, System.Globalization.NumberStyles.AllowHexSpecifier, null);
            var end = (int)(c.GetProperty("offset").GetInt64() + c.GetProperty("length").GetInt32());
            var window = input.AsSpan(end - Chunker.WindowSize, Chunker.WindowSize);
            Assert.Equal(fp, ReferenceChunker.Fingerprint(window, polynomial));
            Assert.Equal(fp, tables.Fingerprint(window));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void BigDnaChunksMatchFixtureRepository(int snapshotIndex)
    {
        var root = Facts.Value.RootElement;
        var polynomial = Polynomial.Parse(root.GetProperty("config").GetProperty("chunker_polynomial").GetString()!);
        Assert.Equal("31c81e17642089", polynomial.ToString());
        var snapshot = root.GetProperty("snapshots_in_time_order")[snapshotIndex].GetString()!;
        var expected = root.GetProperty("file_chunks").GetProperty("/src/big.dna").GetProperty(snapshot).EnumerateArray()
            .Select(c => new ChunkRecord(c.GetProperty("offset").GetInt64(), c.GetProperty("length").GetInt32(), c.GetProperty("id").GetString()!))
            .ToList();
        Assert.Equal(4, expected.Count);

        var input = ChunkerInputs.BigDna(snapshotIndex + 1);
        Assert.Equal(expected, ChunkRecord.ReadAll(new MemoryStream(input, writable: false), ChunkerTables.For(polynomial)));
    }
}
