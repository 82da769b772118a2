using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Coffer.Core.Compression;

namespace Coffer.Benchmarks;

/// <summary>zstd through libzstd: level-3 compression of text-like and random 1 MiB blobs, and decompression.</summary>
[MemoryDiagnoser]
public class CompressionBenchmarks
{
    private const int Size = 1024 * 1024;

    private byte[] _text = null!;
    private byte[] _random = null!;
    private byte[] _textFrame = null!;
    private byte[] _destination = null!;
    private byte[] _plain = null!;

    [GlobalSetup]
    public void Setup()
    {
        string[] words = ["backup", "restore", "snapshot", "the", "of", "and", "repository", "blob", "pack", "index", "tree", "a", "zstd"];
        var random = new Random(1);
        var sb = new StringBuilder(Size + 16);
        while (sb.Length < Size)
        {
            sb.Append(words[random.Next(words.Length)]).Append(random.Next(10) == 0 ? '\n' : ' ');
        }
        _text = Encoding.ASCII.GetBytes(sb.ToString(0, Size));
        _random = RandomNumberGenerator.GetBytes(Size);
        _textFrame = Zstd.Compress(_text, Zstd.AutoLevel);
        _destination = new byte[Zstd.CompressBound(Size)];
        _plain = new byte[Size];
    }

    [Benchmark]
    public int CompressTextLevel3() => Zstd.Compress(_text, _destination, Zstd.AutoLevel);

    [Benchmark]
    public int CompressRandomLevel3() => Zstd.Compress(_random, _destination, Zstd.AutoLevel);

    [Benchmark]
    public void DecompressTextKnownSize() => Zstd.DecompressKnownSize(_textFrame, _plain);

    [Benchmark]
    public byte[] DecompressTextBounded() => Zstd.Decompress(_textFrame, Size);
}
