namespace Coffer.Core.Maintenance;

/// <summary>
/// A change of snapshot tags, with restic's rules: <see cref="Set"/> replaces all tags (an empty list
/// removes them) and excludes <see cref="Add"/> and <see cref="Remove"/>; otherwise missing tags are
/// appended in order and each removed tag's first occurrence is replaced by the last tag (restic's
/// swap-remove, which the tag order of the rewritten snapshot follows).
/// </summary>
public sealed record TagChange
{
    /// <summary>The new tags, or null to add and remove instead.</summary>
    public IReadOnlyList<string>? Set { get; init; }

    /// <summary>Tags to add when missing.</summary>
    public IReadOnlyList<string> Add { get; init; } = [];

    /// <summary>Tags to remove.</summary>
    public IReadOnlyList<string> Remove { get; init; } = [];

    /// <summary>The tags after the change, or null when nothing changes.</summary>
    public IReadOnlyList<string>? Apply(IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (Set is not null)
        {
            return Set.ToArray();
        }
        var result = tags.ToList();
        var changed = false;
        foreach (var add in Add)
        {
            if (!result.Contains(add, StringComparer.Ordinal))
            {
                result.Add(add);
                changed = true;
            }
        }
        foreach (var remove in Remove)
        {
            var i = result.FindIndex(t => t == remove);
            if (i >= 0)
            {
                result[i] = result[^1];
                result.RemoveAt(result.Count - 1);
                changed = true;
            }
        }
        return changed ? result : null;
    }
}
