using Coffer.Core.Interop;

namespace Coffer.Core.Crypto;

/// <summary>scrypt (RFC 7914) through OpenSSL's <c>EVP_PBE_scrypt</c>. Stateless and thread-safe.</summary>
internal static class Scrypt
{
    /// <summary>
    /// Derives <paramref name="length"/> bytes from <paramref name="password"/> and <paramref name="salt"/>.
    /// The parameters are validated first (<see cref="InvalidDataException"/>), so memory use is bounded.
    /// </summary>
    public static byte[] Derive(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ScryptParameters parameters, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var key = new byte[length];
        Derive(password, salt, parameters, key);
        return key;
    }

    /// <summary>Derives <c>destination.Length</c> bytes into <paramref name="destination"/>.</summary>
    public static unsafe void Derive(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ScryptParameters parameters, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        var n = (ulong)parameters.N;
        var r = (ulong)parameters.R;
        var p = (ulong)parameters.P;
        var maxMemory = LibCrypto.ScryptMemory(n, r, p);
        int result;
        fixed (byte* pw = password)
        fixed (byte* s = salt)
        fixed (byte* d = destination)
        {
            result = LibCrypto.EvpPbeScrypt(pw, (nuint)password.Length, s, (nuint)salt.Length, n, r, p, maxMemory, d, (nuint)destination.Length);
        }
        if (result != 1)
        {
            throw new InvalidOperationException($"EVP_PBE_scrypt failed for N={n}, r={r}, p={p}");
        }
    }
}
