using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Coffer.Core.Crypto;

/// <summary>
/// Reusable <see cref="Aes"/> instances for one key. <see cref="Aes"/> objects are not thread-safe, so each caller
/// rents one for the duration of a call and returns it. Thread-safe.
/// </summary>
internal sealed class AesPool
{
    private readonly byte[] _key;
    private readonly ConcurrentBag<Aes> _idle = [];

    /// <summary>Creates a pool for <paramref name="key"/> (16 or 32 bytes; copied).</summary>
    public AesPool(ReadOnlySpan<byte> key)
    {
        _key = key.ToArray();
    }

    /// <summary>An instance holding this pool's key; give it back with <see cref="Return"/>.</summary>
    public Aes Rent()
    {
        if (_idle.TryTake(out var aes))
        {
            return aes;
        }
        aes = Aes.Create();
        aes.Key = _key;
        return aes;
    }

    /// <summary>Returns an instance obtained from <see cref="Rent"/>.</summary>
    public void Return(Aes aes) => _idle.Add(aes);
}
