namespace Coffer.Core.Retention;

/// <summary>
/// What the snapshots of a group share. <see cref="Paths"/> and <see cref="Tags"/> are sorted, and null
/// when not grouped by them (or, for tags, when the snapshots have none), as in restic's group key.
/// </summary>
public sealed record SnapshotGroupKey(string Hostname, IReadOnlyList<string>? Paths, IReadOnlyList<string>? Tags)
{
    /// <summary>restic's group heading text, e.g. <c>host [h], paths [/a, /b]</c>; empty when nothing is grouped.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Hostname.Length > 0)
        {
            parts.Add($"host [{Hostname}]");
        }
        if (Tags is not null)
        {
            parts.Add($"tags [{string.Join(", ", Tags)}]");
        }
        if (Paths is not null)
        {
            parts.Add($"paths [{string.Join(", ", Paths)}]");
        }
        return string.Join(", ", parts);
    }

    /// <summary>Ordinal comparison key, used to list groups in a stable order.</summary>
    internal string SortKey => Hostname + "\0" + string.Join("\n", Paths ?? []) + "\0" + (Tags is null ? "\u0001" : string.Join("\n", Tags));

    /// <inheritdoc />
    public bool Equals(SnapshotGroupKey? other) => other is not null && SortKey == other.SortKey;

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(SortKey);
}
