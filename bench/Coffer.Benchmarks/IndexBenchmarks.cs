using BenchmarkDotNet.Attributes;
using Coffer.Core.Index;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;

namespace Coffer.Benchmarks;

/// <summary>
/// <see cref="MasterIndex"/> holding 1 M and 5 M random blob entries spread over 2,000 packs, grouped
/// into index files of 150,000 blobs as an upload session writes them. <c>LookupHit</c> and
/// <c>LookupMiss</c> each do <see cref="Lookups"/> lookups of random ids per invocation (reported per
/// lookup); <c>Build</c> adds every index file to a new index. The global setup also prints the managed
/// memory the index takes, per blob (see <see cref="MeasureMemory"/>; <c>--memory</c> prints it alone).
/// </summary>
[MemoryDiagnoser]
public class IndexBenchmarks
{
    private const int Lookups = 4096;
    private const int PackCount = 2000;
    private const int BlobsPerIndexFile = 150_000;

    private List<IndexFile> _files = null!;
    private MasterIndex _index = null!;
    private BlobHandle[] _hits = null!;
    private BlobHandle[] _misses = null!;

    [Params(1_000_000, 5_000_000)]
    public int Blobs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var memory = MeasureMemory(Blobs);
        Console.WriteLine(memory.ToString());
        _files = memory.Files;
        _index = memory.Index;
        var random = new Random(7);
        var all = _files.SelectMany(f => f.Packs).SelectMany(p => p.Blobs).ToArray();
        _hits = [.. Enumerable.Range(0, Lookups).Select(_ => all[random.Next(all.Length)].Handle)];
        _misses = [.. Enumerable.Range(0, Lookups).Select(_ => new BlobHandle(new BlobId(RandomId(random)), BlobType.Data))];
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public int LookupHit()
    {
        var found = 0;
        foreach (var handle in _hits)
        {
            if (_index.TryLookup(handle, out _))
            {
                found++;
            }
        }
        return found;
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public int LookupMiss()
    {
        var found = 0;
        foreach (var handle in _misses)
        {
            if (_index.TryLookup(handle, out _))
            {
                found++;
            }
        }
        return found;
    }

    [Benchmark]
    public int Build()
    {
        var index = new MasterIndex();
        foreach (var file in _files)
        {
            index.Add(file);
        }
        return index.Count;
    }

    /// <summary>
    /// Generates the index files, then builds a <see cref="MasterIndex"/> from them between two full
    /// collections: retained = growth of <see cref="GC.GetTotalMemory"/> (what the index keeps),
    /// allocated = growth of <see cref="GC.GetTotalAllocatedBytes"/> (including tables dropped while growing).
    /// </summary>
    public static IndexMemory MeasureMemory(int blobs)
    {
        var files = MakeIndexFiles(blobs, new Random(42));
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var index = new MasterIndex();
        foreach (var file in files)
        {
            index.Add(file);
        }
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(files);
        return new IndexMemory(blobs, index.Count, retained, allocated, index.MemoryBytes, files, index);
    }

    /// <summary>
    /// Index files for <paramref name="blobs"/> random entries over <see cref="PackCount"/> packs: about one
    /// blob in 20 a tree, half the blobs compressed, offsets consecutive within each pack.
    /// </summary>
    public static List<IndexFile> MakeIndexFiles(int blobs, Random random)
    {
        var files = new List<IndexFile>();
        var current = new IndexFile();
        var inCurrent = 0;
        for (var p = 0; p < PackCount; p++)
        {
            var count = blobs / PackCount + (p < blobs % PackCount ? 1 : 0);
            var list = new List<PackedBlob>(count);
            uint offset = 0;
            for (var b = 0; b < count; b++)
            {
                var length = (uint)random.Next(100, 8000);
                var uncompressed = random.Next(2) == 0 ? 0u : length * 2;
                var type = random.Next(20) == 0 ? BlobType.Tree : BlobType.Data;
                list.Add(new PackedBlob(new BlobHandle(new BlobId(RandomId(random)), type), offset, length, uncompressed));
                offset += length;
            }
            current.Packs.Add(new IndexPack(new PackId(RandomId(random)), list));
            inCurrent += count;
            if (inCurrent >= BlobsPerIndexFile)
            {
                files.Add(current);
                current = new IndexFile();
                inCurrent = 0;
            }
        }
        if (current.Packs.Count > 0)
        {
            files.Add(current);
        }
        return files;
    }

    internal static Id RandomId(Random random)
    {
        Span<byte> bytes = stackalloc byte[Id.Size];
        random.NextBytes(bytes);
        return Id.FromBytes(bytes);
    }
}
