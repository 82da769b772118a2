using System.Runtime.InteropServices;

namespace Coffer.Core.Interop;

/// <summary>
/// OpenSSL's scrypt (<c>libcrypto.so.3</c>). The product derives keys with the managed
/// <see cref="Crypto.Scrypt"/>; this is kept as an independent reference for its tests and benchmarks.
/// </summary>
internal static unsafe partial class LibCrypto
{
    private const string Library = "libcrypto.so.3";

    /// <summary>
    /// <c>int EVP_PBE_scrypt(const char *pass, size_t passlen, const unsigned char *salt, size_t saltlen,
    /// uint64_t N, uint64_t r, uint64_t p, uint64_t maxmem, unsigned char *key, size_t keylen)</c>.
    /// Returns 1 on success, 0 on failure (bad parameters or <paramref name="maxMemory"/> too small).
    /// </summary>
    [LibraryImport(Library, EntryPoint = "EVP_PBE_scrypt")]
    internal static partial int EvpPbeScrypt(
        byte* password, nuint passwordLength,
        byte* salt, nuint saltLength,
        ulong n, ulong r, ulong p, ulong maxMemory,
        byte* key, nuint keyLength);

    /// <summary>
    /// scrypt through <c>EVP_PBE_scrypt</c> into <paramref name="destination"/> (OpenSSL runs the p lanes one after
    /// another). Throws <see cref="InvalidOperationException"/> if OpenSSL refuses the parameters.
    /// </summary>
    internal static void Scrypt(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ulong n, ulong r, ulong p, Span<byte> destination)
    {
        int result;
        fixed (byte* pw = password)
        fixed (byte* s = salt)
        fixed (byte* d = destination)
        {
            result = EvpPbeScrypt(pw, (nuint)password.Length, s, (nuint)salt.Length, n, r, p, ScryptMemory(n, r, p), d, (nuint)destination.Length);
        }
        if (result != 1)
        {
            throw new InvalidOperationException($"EVP_PBE_scrypt failed for N={n}, r={r}, p={p}");
        }
    }

    /// <summary>Memory OpenSSL needs for one scrypt derivation, plus slack for its own bookkeeping.</summary>
    internal static ulong ScryptMemory(ulong n, ulong r, ulong p) => (128 * r * (n + 2)) + (128 * r * p) + (1 << 20);
}
