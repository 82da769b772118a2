using Coffer.Core.Chunking;

namespace Coffer.Core.Tests.Chunking;

/// <summary>Edge cases of the split rule and of the streaming API.</summary>
public sealed class ChunkerTests
{
    private static readonly ChunkerTables Tables = ChunkerTables.For(Polynomial.Parse("3da3358b4dc173"));

    private static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static List<int> Lengths(byte[] data) =>
        ChunkRecord.ReadAll(new MemoryStream(data), Tables).Select(c => c.Length).ToList();

    [Fact]
    public void EmptyInputHasNoChunks()
    {
        Assert.Empty(Lengths([]));
        Assert.Equal(0, Chunker.FindCut([], Tables, isFinal: true));
        Assert.Equal(-1, Chunker.FindCut([], Tables, isFinal: false));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100_000)]
    [InlineData(Chunker.MinSize - 1)]
    [InlineData(Chunker.MinSize)]
    public void InputUpToMinimumIsOneChunk(int length)
    {
        var data = RandomBytes(length, length);
        Assert.Equal([length], Lengths(data));
        Assert.Equal(length, Chunker.FindCut(data, Tables, isFinal: true));
        Assert.Equal(-1, Chunker.FindCut(data, Tables, isFinal: false));
    }

    [Fact]
    public void ZerosCutAtEveryMinimumIncludingJustPastIt()
    {
        // FP of 64 zero bytes is 0, so the first candidate always qualifies.
        Assert.Equal([Chunker.MinSize, 1], Lengths(new byte[Chunker.MinSize + 1]));
        Assert.Equal(Chunker.MinSize, Chunker.FindCut(new byte[Chunker.MinSize + 1], Tables, isFinal: false));
    }

    [Fact]
    public void MaximumPlusOneWithoutSplitPointIsMaxThenOne()
    {
        var data = ChunkerInputs.Filled(Chunker.MaxSize + 1, 0x01);
        Assert.Equal([Chunker.MaxSize, 1], Lengths(data));
        Assert.Equal(Chunker.MaxSize, Chunker.FindCut(data, Tables, isFinal: false));
        Assert.Equal(Chunker.MaxSize, Chunker.FindCut(data.AsSpan(0, Chunker.MaxSize), Tables, isFinal: false));
        Assert.Equal(-1, Chunker.FindCut(data.AsSpan(0, Chunker.MaxSize - 1), Tables, isFinal: false));
        Assert.Equal(Chunker.MaxSize - 1, Chunker.FindCut(data.AsSpan(0, Chunker.MaxSize - 1), Tables, isFinal: true));
    }

    [Fact]
    public void RandomMaximumPlusOneFollowsTheReference()
    {
        var data = RandomBytes(Chunker.MaxSize + 1, 8);
        var lengths = Lengths(data);
        Assert.Equal(ReferenceChunker.Lengths(data, Tables.Polynomial), lengths);
        Assert.Equal(data.Length, lengths.Sum());
    }

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 1000)]
    [InlineData(3, 70_000)]
    public void TinyIrregularReadsGiveTheSameCuts(int seed, int maxRead)
    {
        var data = ChunkerInputs.BigDna(1);
        var whole = ChunkRecord.ReadAll(new MemoryStream(data), Tables);
        var trickle = new TrickleStream(data, seed, maxRead);
        Assert.Equal(whole, ChunkRecord.ReadAll(trickle, Tables));
        Assert.True(trickle.Reads > data.Length / maxRead);
    }

    [Fact]
    public async Task AsyncGivesTheSameCuts()
    {
        var data = RandomBytes(20 * 1024 * 1024 + 123, 5);
        var sync = ChunkRecord.ReadAll(new MemoryStream(data), Tables);
        Assert.True(sync.Count > 5);
        Assert.Equal(sync, await ChunkRecord.ReadAllAsync(new MemoryStream(data), Tables));
        Assert.Equal(sync, await ChunkRecord.ReadAllAsync(new TrickleStream(data, 9, 5000), Tables));
    }

    [Fact]
    public void LongInputWithCompactionsMatchesStatelessAndReference()
    {
        // Several buffer wrap-arounds: the undecided chunk is moved to the buffer's front each time.
        var data = RandomBytes(40 * 1024 * 1024, 11);
        var streamed = ChunkRecord.ReadAll(new MemoryStream(data), Tables);
        Assert.Equal(ChunkRecord.FindAll(data, Tables), streamed);
        Assert.Equal(ReferenceChunker.Lengths(data, Tables.Polynomial), streamed.Select(c => c.Length).ToList());
    }

    [Fact]
    public void ResetReusesTheChunkerForAnotherStream()
    {
        var first = RandomBytes(3 * 1024 * 1024, 1);
        var second = ChunkerInputs.BigDna(1);
        using var chunker = new Chunker(new MemoryStream(first), Tables);
        Assert.True(chunker.TryNext(out _));
        chunker.Reset(new MemoryStream(second));
        var records = new List<ChunkRecord>();
        while (chunker.TryNext(out var chunk))
        {
            records.Add(ChunkRecord.Of(chunker.ChunkOffset, chunk.Span));
        }
        Assert.Equal(ChunkRecord.FindAll(second, Tables), records);
    }

    [Fact]
    public void CallerBufferIsUsedAndMustHoldOneMaximumChunk()
    {
        var buffer = new byte[Chunker.MinBufferSize];
        var data = RandomBytes(2 * 1024 * 1024, 3);
        using (var chunker = new Chunker(new MemoryStream(data), Tables, buffer))
        {
            Assert.True(chunker.TryNext(out var chunk));
            Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(chunk, out var segment));
            Assert.Same(buffer, segment.Array);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new Chunker(Stream.Null, Tables, new byte[Chunker.MaxSize - 1]));
    }

    [Fact]
    public void DisposedChunkerThrows()
    {
        var chunker = new Chunker(Stream.Null, Tables);
        chunker.Dispose();
        chunker.Dispose();
        Assert.Throws<ObjectDisposedException>(() => chunker.TryNext(out _));
    }

    [Fact]
    public void StreamIsReadFromItsCurrentPosition()
    {
        var data = ChunkerInputs.BigDna(1);
        var stream = new MemoryStream(data) { Position = 1000 };
        Assert.Equal(ChunkRecord.FindAll(data.AsSpan(1000), Tables), ChunkRecord.ReadAll(stream, Tables));
    }

    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(0, 3, 0)]
    [InlineData(1, 2, 0)]
    [InlineData(2, 3, 5)]
    [InlineData(1, 3, 2)]
    public void EarlierSplitPointWinsAcrossScanLanes(int earlyLane, int lateLane, int block)
    {
        // A window of 64 zero bytes has fingerprint 0. Plant one late in an earlier lane and one
        // early in a later lane: the scanner sees the later lane's hit first, in lock step, but
        // the cut must be at the earlier position.
        var data = RandomBytes(Chunker.MaxSize, 17);
        var blockStart = Chunker.MinSize - 1 + (block * FingerprintScanner.BlockLength);
        var first = blockStart + (earlyLane * FingerprintScanner.LaneLength) + FingerprintScanner.LaneLength - 10;
        var second = blockStart + (lateLane * FingerprintScanner.LaneLength) + 20;
        data.AsSpan(first - Chunker.WindowSize + 1, Chunker.WindowSize).Clear();
        data.AsSpan(second - Chunker.WindowSize + 1, Chunker.WindowSize).Clear();
        var reference = ReferenceChunker.Lengths(data, Tables.Polynomial);
        Assert.Equal(first + 1, reference[0]);
        Assert.Equal(first + 1, Chunker.FindCut(data, Tables, isFinal: false));
        Assert.Equal(reference, Lengths(data));
    }
}
