using System.Globalization;

namespace Coffer.Core.Archiver.Filters;

/// <summary>
/// <c>--exclude-larger-than</c>: excludes files (not directories) whose size is above a limit. Thread-safe.
/// </summary>
public sealed class ExcludeLargerThan : IExcludeRule
{
    /// <summary>Creates the rule; files of exactly <paramref name="maxSize"/> bytes are kept.</summary>
    public ExcludeLargerThan(long maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        MaxSize = maxSize;
    }

    /// <summary>The largest size kept, in bytes.</summary>
    public long MaxSize { get; }

    /// <summary>Creates the rule from a size text (see <see cref="ParseSize"/>).</summary>
    /// <exception cref="FormatException">The text is not a valid size.</exception>
    public static ExcludeLargerThan Parse(string size) => new(ParseSize(size));

    /// <summary>
    /// Parses a size the way restic does: a decimal integer (optionally signed) followed by at most one unit
    /// letter, <c>b</c>/<c>B</c> (bytes), <c>k</c>/<c>K</c>, <c>m</c>/<c>M</c>, <c>g</c>/<c>G</c>, <c>t</c>/<c>T</c>
    /// (powers of 1024). No spaces, fractions or two-letter units; the result must fit a non-negative 64-bit value.
    /// </summary>
    /// <exception cref="FormatException">The text is empty, malformed, negative or out of range; the message names it.</exception>
    public static long ParseSize(string size)
    {
        if (!TryParseSize(size, out var value, out var error))
        {
            throw new FormatException($"invalid size \"{size}\": {error}");
        }
        return value;
    }

    /// <summary>Non-throwing <see cref="ParseSize"/>.</summary>
    public static bool TryParseSize(string size, out long value) => TryParseSize(size, out value, out _);

    /// <inheritdoc/>
    public bool Excludes(in ExcludeCandidate candidate) => !candidate.IsDirectory && candidate.Size > MaxSize;

    private static bool TryParseSize(string? size, out long value, out string error)
    {
        value = 0;
        if (string.IsNullOrEmpty(size))
        {
            error = "expected size, got empty string";
            return false;
        }
        var number = size[..^1];
        ulong unit = size[^1] switch
        {
            'b' or 'B' => 1,
            'k' or 'K' => 1UL << 10,
            'm' or 'M' => 1UL << 20,
            'g' or 'G' => 1UL << 30,
            't' or 'T' => 1UL << 40,
            _ => 0,
        };
        if (unit == 0)
        {
            number = size;
            unit = 1;
        }
        if (!IsGoDecimal(number) ||
            !long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            error = IsGoDecimal(number) ? "value out of range" : "not a decimal number";
            return false;
        }
        var product = Math.BigMul((ulong)parsed, unit, out var low);
        if (product != 0 || (long)low < 0)
        {
            error = "value out of range";
            return false;
        }
        value = (long)low;
        error = "";
        return true;
    }

    /// <summary>Go's <c>strconv.ParseInt(s, 10, 64)</c> syntax: an optional sign, then at least one ASCII digit.</summary>
    private static bool IsGoDecimal(string text)
    {
        var digits = text.AsSpan();
        if (digits.Length > 0 && (digits[0] == '+' || digits[0] == '-'))
        {
            digits = digits[1..];
        }
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9');
    }
}
