using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Core.Repository;

/// <summary>
/// Selects snapshots as restic's <c>--host</c>, <c>--tag</c> and <c>--path</c> do: any of the hosts;
/// any of the tag lists, where one list (<c>a,b</c>) needs all its tags; all of the paths.
/// </summary>
public sealed record SnapshotFilter(IReadOnlyList<string> Hosts, IReadOnlyList<IReadOnlyList<string>> TagLists, IReadOnlyList<string> Paths)
{
    /// <summary>No restriction.</summary>
    public static SnapshotFilter None { get; } = new([], [], []);

    /// <summary>Builds a filter from repeated option values; a tag value is a comma-separated list.</summary>
    public static SnapshotFilter From(IEnumerable<string>? hosts, IEnumerable<string>? tags, IEnumerable<string>? paths) =>
        new((hosts ?? []).Where(h => h.Length > 0).ToList(),
            (tags ?? []).Select(t => (IReadOnlyList<string>)t.Split(',', StringSplitOptions.RemoveEmptyEntries)).Where(l => l.Count > 0).ToList(),
            (paths ?? []).Select(NormalizePath).ToList());

    /// <summary>True if the snapshot passes every criterion.</summary>
    public bool Matches(Snapshot snapshot)
    {
        if (Hosts.Count > 0 && !Hosts.Contains(snapshot.Hostname, StringComparer.Ordinal))
        {
            return false;
        }
        if (TagLists.Count > 0 && !TagLists.Any(list => list.All(t => snapshot.Tags.Contains(t, StringComparer.Ordinal))))
        {
            return false;
        }
        return Paths.Count == 0 || Paths.All(p => snapshot.Paths.Select(NormalizePath).Contains(p, StringComparer.Ordinal));
    }

    private static string NormalizePath(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    /// <summary>
    /// Resolves one snapshot reference: <c>latest</c> (the newest matching snapshot) or an id or unique
    /// id prefix. Throws a <see cref="CofferException"/> when there is none.
    /// </summary>
    public async Task<Snapshot> FindAsync(Repository repository, string reference, CancellationToken cancellationToken)
    {
        if (reference == "latest")
        {
            var all = await repository.LoadSnapshotsAsync(cancellationToken).ConfigureAwait(false);
            return all.LastOrDefault(Matches) ?? throw new CofferException("no snapshot found", "check --host, --tag and --path, or list them with 'coffer snapshots'");
        }
        var id = await repository.ResolvePrefixAsync(FileType.Snapshot, reference, cancellationToken).ConfigureAwait(false);
        try
        {
            return await repository.LoadSnapshotAsync(new SnapshotId(id), cancellationToken).ConfigureAwait(false);
        }
        catch (BackendNotFoundException)
        {
            throw new CofferException($"no matching ID found for prefix \"{reference}\"");
        }
    }

    /// <summary>
    /// All snapshots named by <paramref name="references"/> (ids, prefixes or <c>latest</c>), or every
    /// matching snapshot when none are named; sorted oldest first.
    /// </summary>
    public async Task<List<Snapshot>> SelectAsync(Repository repository, IReadOnlyList<string> references, CancellationToken cancellationToken)
    {
        if (references.Count == 0)
        {
            return (await repository.LoadSnapshotsAsync(cancellationToken).ConfigureAwait(false)).Where(Matches).ToList();
        }
        var result = new List<Snapshot>();
        foreach (var r in references)
        {
            var s = await FindAsync(repository, r, cancellationToken).ConfigureAwait(false);
            if (!result.Any(x => x.Id == s.Id))
            {
                result.Add(s);
            }
        }
        return result;
    }
}
