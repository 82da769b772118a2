namespace Coffer.Core.Crypto;

/// <summary>
/// scrypt cost parameters of a key file: <paramref name="N"/> (CPU/memory cost, a power of two &gt; 1),
/// <paramref name="R"/> (block size) and <paramref name="P"/> (parallelism). Immutable.
/// </summary>
public sealed record ScryptParameters(long N, long R, long P)
{
    /// <summary>Largest memory one derivation may need (128·r·N): a hostile key file must not make us allocate more.</summary>
    public const long MaxMemoryBytes = 1L << 30;

    /// <summary>Largest total work N·r·p accepted (a CPU bound; restic's calibrated values are far below it).</summary>
    public const long MaxWork = 1L << 34;

    /// <summary>Parameters for new keys: N = 32768, r = 8 (128·r·N = 32 MiB, restic's choice), p = 1.</summary>
    public static ScryptParameters Default { get; } = new(32768, 8, 1);

    /// <summary>Bytes one derivation needs for its large vector (128·r·N), once <see cref="Validate"/> has passed.</summary>
    public long MemoryBytes => 128 * R * N;

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> naming the problem unless: N is a power of two greater than 1,
    /// r ≥ 1, p ≥ 1, r·p &lt; 2^30, 128·r·N and 128·r·p fit in a signed 32-bit integer (restic's rules), 128·r·N is at
    /// most <see cref="MaxMemoryBytes"/>, and N·r·p is at most <see cref="MaxWork"/>.
    /// </summary>
    public void Validate()
    {
        if (TryValidate(out var error))
        {
            return;
        }
        throw new InvalidDataException($"invalid scrypt parameters N={N}, r={R}, p={P}: {error}");
    }

    /// <summary>Like <see cref="Validate"/>, but reports the problem in <paramref name="error"/> instead of throwing.</summary>
    public bool TryValidate(out string? error)
    {
        error = null;
        if (N <= 1 || (N & (N - 1)) != 0)
        {
            error = "N must be a power of two greater than 1";
        }
        else if (R < 1)
        {
            error = "r must be at least 1";
        }
        else if (P < 1)
        {
            error = "p must be at least 1";
        }
        else if (R >= 1L << 30 || P >= 1L << 30 || R * P >= 1L << 30)
        {
            error = "r·p must be below 2^30";
        }
        else if (N > int.MaxValue || 128 * R * N > int.MaxValue || 128 * R * P > int.MaxValue)
        {
            error = "128·r·N and 128·r·p must fit in 32 bits";
        }
        else if (128 * R * N > MaxMemoryBytes)
        {
            error = $"128·r·N = {128 * R * N} bytes exceeds the {MaxMemoryBytes} byte limit";
        }
        else if (N * R * P > MaxWork)
        {
            error = $"N·r·p = {N * R * P} exceeds the work limit {MaxWork}";
        }
        return error is null;
    }
}
