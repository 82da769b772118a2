using System.Collections.Concurrent;

namespace Coffer.Core.Chunking;

/// <summary>
/// The two 256-entry lookup tables that let the chunker slide its 64-byte window one byte at a
/// time for one polynomial P of degree k (8 ≤ k ≤ 53):
/// <c>Out[b] = (b · x^(8·63)) mod P</c> removes the byte leaving the window, and
/// <c>Mod[b] = ((b · x^k) mod P) | (b &lt;&lt; k)</c> reduces the byte that overflows past degree k.
/// </summary>
/// <remarks>
/// Instances are immutable and safe to share between threads. <see cref="For"/> builds the tables
/// once per polynomial and caches them for the life of the process (a process sees one
/// polynomial per repository, so the cache stays tiny).
/// </remarks>
public sealed class ChunkerTables
{
    /// <summary>Highest polynomial degree the tables support (the fingerprint must fit 53 bits).</summary>
    public const int MaxDegree = 53;

    /// <summary>Lowest polynomial degree the tables support (one byte is shifted out per step).</summary>
    public const int MinDegree = 8;

    private const int TableSize = 256;

    private static readonly ConcurrentDictionary<ulong, ChunkerTables> Cache = new();

    private readonly ulong[] _out;
    private readonly ulong[] _mod;

    private ChunkerTables(Polynomial polynomial)
    {
        Polynomial = polynomial;
        Degree = polynomial.Degree;
        _out = new ulong[TableSize];
        _mod = new ulong[TableSize];
        var p = polynomial.Value;
        for (var b = 0; b < TableSize; b++)
        {
            // b · x^(8·63): multiply by x^8 sixty-three times, reducing each time so the value
            // never exceeds 53 + 8 bits.
            var h = (ulong)b;
            for (var i = 0; i < Chunker.WindowSize - 1; i++)
            {
                h = Polynomial.Mod(h << 8, p);
            }
            _out[b] = h;
            _mod[b] = Polynomial.Mod((ulong)b << Degree, p) | ((ulong)b << Degree);
        }
    }

    /// <summary>The polynomial P the tables were built for.</summary>
    public Polynomial Polynomial { get; }

    /// <summary>k = deg P; a fingerprint is always below 2^k.</summary>
    public int Degree { get; }

    /// <summary><c>Out[b] = (b · x^(8·63)) mod P</c>, for b = 0…255.</summary>
    public ReadOnlySpan<ulong> Out => _out;

    /// <summary><c>Mod[b] = ((b · x^k) mod P) | (b &lt;&lt; k)</c>, for b = 0…255.</summary>
    public ReadOnlySpan<ulong> Mod => _mod;

    internal ulong[] OutArray => _out;

    internal ulong[] ModArray => _mod;

    /// <summary>
    /// The tables for <paramref name="polynomial"/>, built on first use and cached. Thread-safe.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The degree is outside 8…53.</exception>
    public static ChunkerTables For(Polynomial polynomial)
    {
        var degree = polynomial.Degree;
        if (degree is < MinDegree or > MaxDegree)
        {
            throw new ArgumentOutOfRangeException(
                nameof(polynomial), polynomial.ToString(), $"chunker polynomial must have a degree from {MinDegree} to {MaxDegree}, not {degree}");
        }
        return Cache.GetOrAdd(polynomial.Value, static v => new ChunkerTables(new Polynomial(v)));
    }

    /// <summary>
    /// The fingerprint of <paramref name="bytes"/> read as one big-endian number and viewed as a
    /// GF(2) polynomial, reduced mod P. For a 64-byte window this is the value the chunker's
    /// split rule tests. Pure; thread-safe.
    /// </summary>
    public ulong Fingerprint(ReadOnlySpan<byte> bytes)
    {
        var shift = Degree - 8;
        ulong digest = 0;
        foreach (var b in bytes)
        {
            digest = ((digest << 8) | b) ^ _mod[digest >> shift];
        }
        return digest;
    }
}
