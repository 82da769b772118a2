using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Core.Checker;

/// <summary>
/// The packs step: lists <c>data/</c> with sizes and compares it with the index (every indexed pack must exist
/// with exactly the size its blobs imply; packs no index lists are hints), reports blobs stored in several packs
/// and packs listed by several index files (hints), then reads every pack header (in parallel, bounded) and
/// compares its entries with the index's.
/// </summary>
internal static class PackChecker
{
    /// <summary>Runs the step; returns the size of every stored pack.</summary>
    public static async Task<Dictionary<PackId, long>> CheckAsync(CheckContext context, CheckedIndex index, CancellationToken cancellationToken)
    {
        var repository = context.Repository;
        var stored = new Dictionary<PackId, long>();
        await foreach (var entry in repository.Backend.ListAsync(FileType.Pack, cancellationToken).ConfigureAwait(false))
        {
            if (Id.TryParse(entry.Name, out var id))
            {
                stored[new PackId(id)] = entry.Size;
            }
        }
        context.Result.StoredPacks = stored.Count;

        var headerChecks = new List<(PackId Id, long Size)>();
        foreach (var (id, blobs) in index.Packs.OrderBy(p => p.Key.Value))
        {
            if (!stored.TryGetValue(id, out var size))
            {
                context.Error(CheckArea.Pack, id.ToString(), $"pack {id}: not found");
                continue;
            }
            var expected = CheckedIndex.ExpectedSize(blobs);
            if (size != expected)
            {
                context.Error(CheckArea.Pack, id.ToString(), $"pack {id}: unexpected file size: got {size}, expected {expected}");
                continue;
            }
            headerChecks.Add((id, size));
        }
        foreach (var id in stored.Keys.Where(p => !index.Packs.ContainsKey(p)).OrderBy(p => p.Value))
        {
            context.Result.UnreferencedPacks++;
            context.Hint(CheckArea.Pack, id.ToString(), $"pack {id}: {CheckProblem.UnreferencedPackText}");
        }
        foreach (var (id, listers) in index.Listers.Where(l => l.Value.Count > 1).OrderBy(l => l.Key.Value))
        {
            context.Hint(CheckArea.Pack, id.ToString(), $"pack {id}: listed by {listers.Count} index files: {string.Join(", ", listers.Order())}");
        }
        ReportDuplicateBlobs(context, index);

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, context.Options.HeaderReaders), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(headerChecks, parallel, async (pack, ct) =>
        {
            List<PackedBlob> header;
            try
            {
                header = await PackReader.ReadHeaderAsync(repository.Backend, repository.Key, pack.Id, pack.Size, repository.Config.SupportsCompression, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is CofferException or BackendException)
            {
                context.Error(CheckArea.Pack, pack.Id.ToString(), $"pack {pack.Id}: header: {RepositoryChecker.Problem(e)}");
                return;
            }
            CompareHeader(context, pack.Id, header, index.Packs[pack.Id]);
        }).ConfigureAwait(false);
        return stored;
    }

    private static void ReportDuplicateBlobs(CheckContext context, CheckedIndex index)
    {
        // One cheap pass first: with no handle in two packs (the usual case) there is nothing to report.
        var seen = new HashSet<BlobHandle>(index.Index.Count);
        var any = false;
        foreach (var blobs in index.Packs.Values)
        {
            foreach (var blob in blobs)
            {
                any |= !seen.Add(blob.Handle);
            }
        }
        if (!any)
        {
            return;
        }
        var reported = new HashSet<BlobHandle>();
        foreach (var (_, blobs) in index.Packs.OrderBy(p => p.Key.Value))
        {
            foreach (var blob in blobs)
            {
                var copies = index.Index.LookupAll(blob.Handle);
                if (copies.Count < 2)
                {
                    continue;
                }
                var packs = copies.Select(c => c.Pack).Distinct().OrderBy(p => p.Value).ToList();
                if (packs.Count > 1 && reported.Add(blob.Handle))
                {
                    context.Result.DuplicateBlobs++;
                    context.Hint(CheckArea.Blob, blob.Handle.Id.ToString(),
                        $"{blob.Handle.Type.Name()} blob {blob.Handle.Id} is stored in {packs.Count} packs: {string.Join(", ", packs.Select(p => p.Value.ToShortString()))}");
                }
            }
        }
    }

    /// <summary>Every header entry must be in the index at the same place with the same lengths, and the other way round.</summary>
    private static void CompareHeader(CheckContext context, PackId pack, List<PackedBlob> header, List<PackedBlob> indexed)
    {
        // Fast path: the index lists exactly the header's entries (index files list them in pack order; sort if not).
        if (header.Count == indexed.Count && (header.SequenceEqual(indexed) || SameByOffset(header, indexed)))
        {
            return;
        }
        var fromIndex = indexed.ToHashSet();
        var inHeader = header.ToHashSet();
        var indexedByHandle = indexed.ToLookup(b => b.Handle);
        var headerHandles = header.Select(b => b.Handle).ToHashSet();
        var problems = new List<string>();
        foreach (var blob in header.Where(b => !fromIndex.Contains(b)))
        {
            var others = indexedByHandle[blob.Handle].ToList();
            problems.Add(others.Count == 0
                ? $"{Describe(blob)} is in the pack header but not in the index"
                : $"{Describe(blob)} is in the pack header, but the index has it at {string.Join(", ", others.Select(Place))}");
        }
        foreach (var blob in indexed.Where(b => !inHeader.Contains(b) && !headerHandles.Contains(b.Handle)))
        {
            problems.Add($"{Describe(blob)} is in the index but not in the pack header");
        }
        foreach (var problem in problems)
        {
            context.Error(CheckArea.Pack, pack.ToString(), $"pack {pack}: {problem}");
        }
    }

    private static bool SameByOffset(List<PackedBlob> header, List<PackedBlob> indexed)
    {
        static int ByPlace(PackedBlob a, PackedBlob b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : a.Length.CompareTo(b.Length);
        var h = header.ToArray();
        var i = indexed.ToArray();
        Array.Sort(h, ByPlace);
        Array.Sort(i, ByPlace);
        return h.AsSpan().SequenceEqual(i);
    }

    private static string Describe(PackedBlob blob) => $"{blob.Handle.Type.Name()} blob {blob.Handle.Id} ({Place(blob)})";

    private static string Place(PackedBlob blob) => blob.IsCompressed
        ? $"offset {blob.Offset}, length {blob.Length}, uncompressed length {blob.UncompressedLength}"
        : $"offset {blob.Offset}, length {blob.Length}";
}
