using System.Globalization;
using Coffer.Core.Archiver.Filters;
using Coffer.Core.Primitives;

namespace Coffer.Core.Maintenance;

/// <summary>
/// How much unused data a prune may leave (<c>--max-unused</c>): a percentage of the used data's share of what
/// remains, an absolute number of bytes, or unlimited.
/// </summary>
public readonly record struct MaxUnused
{
    private MaxUnused(double percent, long bytes, bool unlimited)
    {
        Percent = percent;
        Bytes = bytes;
        Unlimited = unlimited;
    }

    /// <summary>The percentage, when the limit was given as one (else NaN).</summary>
    public double Percent { get; }

    /// <summary>The byte count, when the limit was given as one (else -1).</summary>
    public long Bytes { get; }

    /// <summary>True for <c>unlimited</c>.</summary>
    public bool Unlimited { get; }

    /// <summary>restic's default, 5 %.</summary>
    public static MaxUnused Default { get; } = new(5, -1, false);

    /// <summary>
    /// Parses <c>N%</c> (0 ≤ N &lt; 100, fractions allowed), a size with an optional k/m/g/t suffix, or
    /// <c>unlimited</c>. Throws <see cref="CofferException"/> with a one-line message otherwise.
    /// </summary>
    public static MaxUnused Parse(string text)
    {
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            throw new CofferException($"invalid value for --max-unused: \"{text}\"");
        }
        if (value == "unlimited")
        {
            return new MaxUnused(double.NaN, -1, true);
        }
        if (value.EndsWith('%'))
        {
            if (!double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || double.IsNaN(p))
            {
                throw new CofferException($"invalid percentage \"{text}\" passed for --max-unused");
            }
            if (p < 0)
            {
                throw new CofferException("percentage for --max-unused must be positive");
            }
            if (p >= 100)
            {
                throw new CofferException("percentage for --max-unused must be below 100%");
            }
            return new MaxUnused(p, -1, false);
        }
        if (!ExcludeLargerThan.TryParseSize(value, out var bytes))
        {
            throw new CofferException($"invalid number of bytes \"{text}\" for --max-unused");
        }
        return new MaxUnused(double.NaN, bytes, false);
    }

    /// <summary>The unused bytes tolerated after the prune, given the bytes still used.</summary>
    public long Limit(long used)
    {
        if (Unlimited)
        {
            return long.MaxValue;
        }
        if (Bytes >= 0)
        {
            return Bytes;
        }
        var limit = Percent / (100 - Percent) * used;
        return limit >= long.MaxValue ? long.MaxValue : (long)limit;
    }
}
