using BenchmarkDotNet.Attributes;
using Coffer.Core.Chunking;

namespace Coffer.Benchmarks;

/// <summary>
/// Content-defined chunking of 64 MiB held in memory: random bytes and ACGT text (like the
/// fixture's big.dna), and 0x01 bytes, which never split, so 15/16 of every 8 MiB chunk goes
/// through the rolling hash (the hashing loop's own speed). Throughput = 64 MiB ÷ mean time.
/// <c>FindCut</c> is the pure scan;
/// <c>Stream</c> adds the copy from a MemoryStream into the chunker's buffer.
/// </summary>
[MemoryDiagnoser]
public class ChunkerBenchmarks
{
    private const int Size = 64 * 1024 * 1024;

    private readonly ChunkerTables _tables = ChunkerTables.For(Polynomial.Parse("31c81e17642089"));
    private readonly byte[] _buffer = new byte[Chunker.MinBufferSize];
    private byte[] _data = null!;

    [Params("random", "dna", "ones")]
    public string Input { get; set; } = "random";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _data = new byte[Size];
        random.NextBytes(_data);
        if (Input == "ones")
        {
            _data.AsSpan().Fill(0x01);
        }
        else if (Input == "dna")
        {
            ReadOnlySpan<byte> alphabet = "ACGT"u8;
            for (var i = 0; i < _data.Length; i++)
            {
                _data[i] = alphabet[_data[i] & 3];
            }
        }
    }

    [Benchmark(Baseline = true)]
    public int FindCut()
    {
        var chunks = 0;
        var data = _data.AsSpan();
        while (true)
        {
            var length = Chunker.FindCut(data, _tables, isFinal: true);
            if (length == 0)
            {
                return chunks;
            }
            chunks++;
            data = data[length..];
        }
    }

    [Benchmark]
    public int Stream()
    {
        var chunks = 0;
        using var chunker = new Chunker(new MemoryStream(_data, writable: false), _tables, _buffer);
        while (chunker.TryNext(out _))
        {
            chunks++;
        }
        return chunks;
    }
}
