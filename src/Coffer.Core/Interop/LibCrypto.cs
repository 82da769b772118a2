using System.Runtime.InteropServices;

namespace Coffer.Core.Interop;

/// <summary>The few OpenSSL <c>libcrypto.so.3</c> entry points Coffer uses (scrypt only).</summary>
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

    /// <summary>Memory OpenSSL needs for one scrypt derivation, plus slack for its own bookkeeping.</summary>
    internal static ulong ScryptMemory(ulong n, ulong r, ulong p) => (128 * r * (n + 2)) + (128 * r * p) + (1 << 20);
}
