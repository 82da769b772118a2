using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Coffer.Core.Crypto;
using Coffer.Core.Index;
using Coffer.Core.Model;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;

namespace Coffer.Benchmarks;

/// <summary>
/// The pack and metadata formats. <c>WritePack*</c>: <see cref="PackWriter.Add"/> of 16 blobs of 1 MiB at zstd
/// level 3, then <see cref="PackWriter.Finish"/> (header, seal, SHA-256 of the whole pack), as one 16 MiB
/// pack of an upload session; throughput = 16 MiB ÷ mean time. <c>OpenBlob*</c>: <see cref="BlobCodec.Open"/>
/// of one such stored blob (MAC, decrypt, decompress, SHA-256); throughput = 1 MiB ÷ mean time. Text-like
/// input compresses about 3:1; random input is stored uncompressed (compression does not help).
/// <c>IndexFile*</c>: JSON of one index file of 150,000 blobs (2,000 packs of 75, as the index benchmark makes them). <c>Tree*</c>: JSON of a
/// directory of 1,000 nodes (900 files of 1 to 4 blobs, 100 subdirectories).
/// </summary>
[MemoryDiagnoser]
public class PackBenchmarks
{
    private const int BlobSize = 1024 * 1024;
    private const int BlobsPerPack = 16;
    private const int Level = 3;

    private CryptoKey _key = null!;
    private BlobHandle[] _handles = null!;
    private StoredBlob _text = null!;
    private StoredBlob _random = null!;
    private IndexFile _index = null!;
    private byte[] _indexJson = null!;
    private Tree _tree = null!;
    private byte[] _treeJson = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = CryptoKey.NewRandom();
        var random = new Random(2);
        _handles = [.. Enumerable.Range(0, BlobsPerPack).Select(_ => new BlobHandle(new BlobId(IndexBenchmarks.RandomId(random)), BlobType.Data))];
        _text = StoredBlob.Store(_key, TextLike(BlobSize, new Random(1)));
        _random = StoredBlob.Store(_key, RandomNumberGenerator.GetBytes(BlobSize));
        Console.WriteLine($"1 MiB blobs stored as: text {_text.Entry.Length:N0} bytes, random {_random.Entry.Length:N0} bytes");

        var packs = IndexBenchmarks.MakeIndexFiles(150_000, new Random(3)).SelectMany(f => f.Packs).ToList();
        _index = new IndexFile();
        _index.Packs.AddRange(packs);
        _indexJson = _index.Encode();
        _tree = MakeDirectory(1000, new Random(4));
        _treeJson = _tree.Encode();
        Console.WriteLine($"index file of {_index.BlobCount:N0} blobs: {_indexJson.Length:N0} bytes; tree of {_tree.Nodes.Count:N0} nodes: {_treeJson.Length:N0} bytes");
    }

    [Benchmark]
    public int WritePackText() => WritePack(_text.Plaintext);

    [Benchmark]
    public int WritePackRandom() => WritePack(_random.Plaintext);

    [Benchmark]
    public int OpenBlobText() => BlobCodec.Open(_key, _text.Stored, _text.Entry, "data/bench").Length;

    [Benchmark]
    public int OpenBlobRandom() => BlobCodec.Open(_key, _random.Stored, _random.Entry, "data/bench").Length;

    [Benchmark]
    public int IndexFileEncode() => _index.Encode().Length;

    [Benchmark]
    public int IndexFileParse() => IndexFile.Parse(_indexJson).Packs.Count;

    [Benchmark]
    public int TreeEncode() => _tree.Encode().Length;

    [Benchmark]
    public int TreeParse() => Tree.Parse(_treeJson).Nodes.Count;

    private int WritePack(byte[] plaintext)
    {
        using var writer = new PackWriter(_key, allowCompression: true);
        foreach (var handle in _handles)
        {
            writer.Add(handle, plaintext, Level);
        }
        using var pack = writer.Finish();
        return pack.Length;
    }

    /// <summary>A directory of <paramref name="count"/> nodes: one in ten a subdirectory, the rest files of 1 to 4 blobs.</summary>
    private static Tree MakeDirectory(int count, Random random)
    {
        var nodes = new List<Node>(count);
        for (var i = 0; i < count; i++)
        {
            var time = new GoTime(1_700_000_000 + random.Next(10_000_000), random.Next(1_000_000_000), 3600);
            var node = new Node
            {
                Name = Encoding.UTF8.GetBytes($"file-{i:D5}-{random.Next():x8}.dat"),
                ModTime = time,
                AccessTime = time,
                ChangeTime = time,
                Uid = 1000,
                Gid = 1000,
                User = "user",
                Group = "user",
                Inode = (ulong)random.NextInt64(1, 1L << 40),
                DeviceId = 66306,
                Links = 1,
            };
            if (i % 10 == 0)
            {
                node.Type = NodeType.Dir;
                node.Mode = 0x8000_0000 | 0x1ED;
                node.Subtree = new BlobId(IndexBenchmarks.RandomId(random));
            }
            else
            {
                node.Type = NodeType.File;
                node.Mode = 0x1A4;
                var blobs = random.Next(1, 5);
                node.Size = (ulong)blobs * 1_000_000;
                node.Content = [.. Enumerable.Range(0, blobs).Select(_ => new BlobId(IndexBenchmarks.RandomId(random)))];
            }
            nodes.Add(node);
        }
        return new Tree(nodes);
    }

    /// <summary>Words and spaces, with a line break now and then (as <see cref="CompressionBenchmarks"/> makes).</summary>
    internal static byte[] TextLike(int size, Random random)
    {
        string[] words = ["backup", "restore", "snapshot", "the", "of", "and", "repository", "blob", "pack", "index", "tree", "a", "zstd"];
        var sb = new StringBuilder(size + 16);
        while (sb.Length < size)
        {
            sb.Append(words[random.Next(words.Length)]).Append(random.Next(10) == 0 ? '\n' : ' ');
        }
        return Encoding.ASCII.GetBytes(sb.ToString(0, size));
    }
}
