using System.Globalization;
using Coffer.Core.Primitives;

namespace Coffer.Core.Checker;

/// <summary>
/// Which packs the read-data step reads: all, group n of m (by the pack id's first byte, so that running
/// 1/m … m/m reads every pack exactly once), a random percentage of the packs, or random packs of about a
/// given size. Immutable.
/// </summary>
public sealed record ReadDataSubset
{
    /// <summary>The largest number of groups: the selection looks at one byte of the pack id.</summary>
    public const int MaxGroups = 256;

    private ReadDataSubset(ReadDataSubsetKind kind, int group = 0, int groups = 0, double percentage = 0, long bytes = 0)
    {
        Kind = kind;
        Group = group;
        Groups = groups;
        Percentage = percentage;
        Bytes = bytes;
    }

    /// <summary>Every pack.</summary>
    public static ReadDataSubset All { get; } = new(ReadDataSubsetKind.All);

    /// <summary>How packs are chosen.</summary>
    public ReadDataSubsetKind Kind { get; }

    /// <summary>For <see cref="ReadDataSubsetKind.Group"/>: the group, from 1 to <see cref="Groups"/>.</summary>
    public int Group { get; }

    /// <summary>For <see cref="ReadDataSubsetKind.Group"/>: the number of groups.</summary>
    public int Groups { get; }

    /// <summary>For <see cref="ReadDataSubsetKind.Percentage"/>: the share of packs, above 0 and at most 100.</summary>
    public double Percentage { get; }

    /// <summary>For <see cref="ReadDataSubsetKind.Size"/>: the number of bytes to read.</summary>
    public long Bytes { get; }

    /// <summary>Group <paramref name="group"/> of <paramref name="groups"/>.</summary>
    public static ReadDataSubset OfGroup(int group, int groups)
    {
        if (groups < 1 || groups > MaxGroups || group < 1 || group > groups)
        {
            throw new CofferException($"invalid data subset {group}/{groups}", $"use n/m with 1 <= n <= m <= {MaxGroups}, e.g. 1/5");
        }
        return new(ReadDataSubsetKind.Group, group: group, groups: groups);
    }

    /// <summary>A random <paramref name="percentage"/> of the packs.</summary>
    public static ReadDataSubset OfPercentage(double percentage)
    {
        if (!(percentage > 0 && percentage <= 100))
        {
            throw new CofferException($"invalid data subset percentage {percentage.ToString(CultureInfo.InvariantCulture)}%", "give a percentage above 0 and at most 100, e.g. 10%");
        }
        return new(ReadDataSubsetKind.Percentage, percentage: percentage);
    }

    /// <summary>Random packs of about <paramref name="bytes"/> bytes in all.</summary>
    public static ReadDataSubset OfSize(long bytes)
    {
        if (bytes <= 0)
        {
            throw new CofferException($"invalid data subset size {bytes}", "give a size above zero, e.g. 500M");
        }
        return new(ReadDataSubsetKind.Size, bytes: bytes);
    }

    /// <summary>
    /// Parses the command-line forms: <c>n/m</c>, <c>x%</c> (decimals allowed) or a size with an optional
    /// unit <c>K</c>, <c>M</c>, <c>G</c>, <c>T</c> (powers of 1024; <c>B</c> or none for bytes). Throws
    /// <see cref="CofferException"/> with a hint on anything else.
    /// </summary>
    public static ReadDataSubset Parse(string text)
    {
        var s = text.Trim();
        var slash = s.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (int.TryParse(s.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                && int.TryParse(s.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var m))
            {
                return OfGroup(n, m);
            }
            throw Invalid(text);
        }
        if (s.EndsWith('%'))
        {
            return double.TryParse(s.AsSpan(0, s.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p)
                ? OfPercentage(p)
                : throw Invalid(text);
        }
        var unit = s.Length > 0 ? char.ToUpperInvariant(s[^1]) : '\0';
        var shift = unit switch
        {
            'B' => 0,
            'K' => 10,
            'M' => 20,
            'G' => 30,
            'T' => 40,
            _ => -1,
        };
        var digits = shift >= 0 ? s[..^1] : s;
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > (long.MaxValue >> Math.Max(shift, 0)))
        {
            throw Invalid(text);
        }
        return OfSize(value << Math.Max(shift, 0));
    }

    private static CofferException Invalid(string text) =>
        new($"invalid data subset \"{text}\"", "use n/m (e.g. 1/5), a percentage (e.g. 10%) or a size (e.g. 500M)");

    /// <summary>
    /// Chooses from <paramref name="packs"/> (id and size). The group form is deterministic; the random forms take
    /// at least one pack when there is any. <see cref="ReadDataSubsetKind.Size"/> reads the share of packs that
    /// the size is of the total, as restic does.
    /// </summary>
    public List<(PackId Id, long Size)> Select(IReadOnlyList<(PackId Id, long Size)> packs, Random random)
    {
        switch (Kind)
        {
            case ReadDataSubsetKind.All:
                return [.. packs];
            case ReadDataSubsetKind.Group:
                return [.. packs.Where(p => (int)(p.Id.Value.Prefix >> 56) % Groups == Group - 1)];
            case ReadDataSubsetKind.Percentage:
                return Random(packs, Percentage, random);
            default:
                var total = packs.Sum(p => p.Size);
                if (total == 0)
                {
                    return [];
                }
                return Random(packs, Math.Min(100.0, 100.0 * Bytes / total), random);
        }
    }

    private static List<(PackId Id, long Size)> Random(IReadOnlyList<(PackId Id, long Size)> packs, double percentage, Random random)
    {
        var count = (int)(packs.Count * (percentage / 100.0));
        if (packs.Count > 0 && count < 1)
        {
            count = 1;
        }
        var order = packs.ToArray();
        random.Shuffle(order);
        return [.. order.Take(count)];
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ReadDataSubsetKind.All => "all",
        ReadDataSubsetKind.Group => $"{Group}/{Groups}",
        ReadDataSubsetKind.Percentage => Percentage.ToString(CultureInfo.InvariantCulture) + "%",
        _ => Bytes.ToString(CultureInfo.InvariantCulture),
    };
}
