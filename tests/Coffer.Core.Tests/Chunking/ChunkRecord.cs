using System.Security.Cryptography;
using Coffer.Core.Chunking;

namespace Coffer.Core.Tests.Chunking;

/// <summary>One chunk as the tests compare it: where it starts, how long it is, its SHA-256 (= blob id).</summary>
internal readonly record struct ChunkRecord(long Offset, int Length, string Sha256)
{
    public static ChunkRecord Of(long offset, ReadOnlySpan<byte> chunk) =>
        new(offset, chunk.Length, Convert.ToHexStringLower(SHA256.HashData(chunk)));

    /// <summary>Every chunk of <paramref name="source"/> through <see cref="Chunker.TryNext"/>.</summary>
    public static List<ChunkRecord> ReadAll(Stream source, ChunkerTables tables)
    {
        using var chunker = new Chunker(source, tables);
        var result = new List<ChunkRecord>();
        while (chunker.TryNext(out var chunk))
        {
            result.Add(Of(chunker.ChunkOffset, chunk.Span));
        }
        Assert.False(chunker.TryNext(out _));
        return result;
    }

    /// <summary>Every chunk of <paramref name="source"/> through <see cref="Chunker.NextAsync"/>.</summary>
    public static async Task<List<ChunkRecord>> ReadAllAsync(Stream source, ChunkerTables tables)
    {
        using var chunker = new Chunker(source, tables);
        var result = new List<ChunkRecord>();
        while (await chunker.NextAsync(TestContext.Current.CancellationToken) is { } chunk)
        {
            result.Add(Of(chunker.ChunkOffset, chunk.Span));
        }
        return result;
    }

    /// <summary>Every chunk of <paramref name="data"/> through the stateless <see cref="Chunker.FindCut"/>.</summary>
    public static List<ChunkRecord> FindAll(ReadOnlySpan<byte> data, ChunkerTables tables)
    {
        var result = new List<ChunkRecord>();
        var offset = 0;
        while (true)
        {
            var length = Chunker.FindCut(data[offset..], tables, isFinal: true);
            if (length == 0)
            {
                return result;
            }
            result.Add(Of(offset, data.Slice(offset, length)));
            offset += length;
        }
    }
}
