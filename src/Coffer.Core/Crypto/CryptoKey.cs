using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Coffer.Core.Crypto;

/// <summary>
/// A restic key set: a 32-byte AES-256 encryption key, a 16-byte AES-128 key <c>k</c> and a 16-byte Poly1305 key
/// <c>r</c> for the MAC. It seals and opens boxes <c>IV (16) || AES-256-CTR ciphertext || Poly1305-AES MAC (16)</c>,
/// where the MAC covers the ciphertext only and uses the key <c>clamp(r) || AES-128(k, IV)</c>.
/// Immutable and thread-safe: any number of threads may seal and open with one instance at the same time.
/// </summary>
public sealed class CryptoKey
{
    /// <summary>Bytes a sealed box adds to its plaintext: the 16-byte IV and the 16-byte MAC.</summary>
    public const int Overhead = IvSize + MacSize;

    /// <summary>Length of the AES-256 encryption key.</summary>
    public const int EncryptionKeySize = 32;

    /// <summary>Length of the AES-128 MAC key <c>k</c> and of the Poly1305 key <c>r</c>.</summary>
    public const int MacKeySize = 16;

    /// <summary>Length of the IV at the start of a sealed box.</summary>
    public const int IvSize = 16;

    /// <summary>Length of the MAC at the end of a sealed box.</summary>
    public const int MacSize = 16;

    private readonly byte[] _encryption;
    private readonly byte[] _macK;
    private readonly byte[] _macR;
    private readonly AesPool _ctr;
    private readonly AesPool _nonce;

    private CryptoKey(ReadOnlySpan<byte> encryption, ReadOnlySpan<byte> macK, ReadOnlySpan<byte> macR)
    {
        if (encryption.Length != EncryptionKeySize || macK.Length != MacKeySize || macR.Length != MacKeySize)
        {
            throw new ArgumentException(
                $"a key set is {EncryptionKeySize}+{MacKeySize}+{MacKeySize} bytes, got {encryption.Length}+{macK.Length}+{macR.Length}");
        }
        _encryption = encryption.ToArray();
        _macK = macK.ToArray();
        _macR = macR.ToArray();
        _ctr = new AesPool(_encryption);
        _nonce = new AesPool(_macK);
    }

    /// <summary>The AES-256 encryption key (32 bytes), for serialisation.</summary>
    public ReadOnlySpan<byte> EncryptionKey => _encryption;

    /// <summary>The AES-128 key <c>k</c> of the MAC (16 bytes), for serialisation.</summary>
    public ReadOnlySpan<byte> MacAesKey => _macK;

    /// <summary>The Poly1305 key <c>r</c> of the MAC (16 bytes, as stored; clamped when used), for serialisation.</summary>
    public ReadOnlySpan<byte> MacPolyKey => _macR;

    /// <summary>True when no part of the key set is all zero (restic refuses such keys).</summary>
    public bool IsValid => !IsZero(_encryption) && !IsZero(_macK) && !IsZero(_macR);

    /// <summary>Builds a key set from its three parts (copied). Throws <see cref="ArgumentException"/> on wrong lengths.</summary>
    public static CryptoKey FromParts(ReadOnlySpan<byte> encryptionKey, ReadOnlySpan<byte> macAesKey, ReadOnlySpan<byte> macPolyKey)
        => new(encryptionKey, macAesKey, macPolyKey);

    /// <summary>
    /// Splits a 64-byte scrypt output into a key set: encryption = [0, 32), <c>k</c> = [32, 48), <c>r</c> = [48, 64).
    /// </summary>
    public static CryptoKey FromDerivedKey(ReadOnlySpan<byte> derivedKey)
    {
        if (derivedKey.Length != EncryptionKeySize + 2 * MacKeySize)
        {
            throw new ArgumentException($"a derived key has 64 bytes, got {derivedKey.Length}", nameof(derivedKey));
        }
        return new CryptoKey(derivedKey[..32], derivedKey[32..48], derivedKey[48..64]);
    }

    /// <summary>A fresh random key set with no all-zero part; <c>r</c> is generated already clamped.</summary>
    public static CryptoKey NewRandom()
    {
        Span<byte> e = stackalloc byte[EncryptionKeySize];
        Span<byte> k = stackalloc byte[MacKeySize];
        Span<byte> r = stackalloc byte[MacKeySize];
        do
        {
            RandomNumberGenerator.Fill(e);
            RandomNumberGenerator.Fill(k);
            RandomNumberGenerator.Fill(r);
            Clamp(r);
        }
        while (IsZero(e) || IsZero(k) || IsZero(r));
        var key = new CryptoKey(e, k, r);
        CryptographicOperations.ZeroMemory(e);
        CryptographicOperations.ZeroMemory(k);
        CryptographicOperations.ZeroMemory(r);
        return key;
    }

    /// <summary>
    /// Seals <paramref name="plaintext"/> into <paramref name="destination"/>, which must be exactly
    /// <c>plaintext.Length + </c><see cref="Overhead"/> bytes. A fresh random, non-zero IV is used each call.
    /// The plaintext may already sit at <c>destination[16..]</c> (in-place sealing); any other overlap is not allowed.
    /// </summary>
    public void Seal(ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        if (destination.Length != plaintext.Length + Overhead)
        {
            throw new ArgumentException(
                $"destination must be plaintext length + {Overhead} = {plaintext.Length + Overhead} bytes, got {destination.Length}",
                nameof(destination));
        }
        var iv = destination[..IvSize];
        do
        {
            RandomNumberGenerator.Fill(iv);
        }
        while (IsZero(iv));

        var ciphertext = destination.Slice(IvSize, plaintext.Length);
        var aes = _ctr.Rent();
        try
        {
            AesCtr.Transform(aes, iv, plaintext, ciphertext);
        }
        finally
        {
            _ctr.Return(aes);
        }
        ComputeMac(iv, ciphertext, destination[(IvSize + plaintext.Length)..]);
    }

    /// <summary>Seals <paramref name="plaintext"/> into a new array of <c>plaintext.Length + </c><see cref="Overhead"/> bytes.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        var box = new byte[plaintext.Length + Overhead];
        Seal(plaintext, box);
        return box;
    }

    /// <summary>
    /// Checks the MAC of <paramref name="box"/> in constant time and, only if it is right, decrypts into
    /// <paramref name="plaintext"/>, which must be exactly <c>box.Length - </c><see cref="Overhead"/> bytes (and may be
    /// <c>box[16..^16]</c> itself for in-place opening). Returns false, leaving <paramref name="plaintext"/> untouched,
    /// when the box is shorter than <see cref="Overhead"/> or the MAC does not match (wrong key or damaged data).
    /// </summary>
    public bool TryOpen(ReadOnlySpan<byte> box, Span<byte> plaintext)
    {
        if (box.Length < Overhead)
        {
            return false;
        }
        if (plaintext.Length != box.Length - Overhead)
        {
            throw new ArgumentException(
                $"plaintext must be box length - {Overhead} = {box.Length - Overhead} bytes, got {plaintext.Length}",
                nameof(plaintext));
        }
        if (!Verify(box))
        {
            return false;
        }
        var aes = _ctr.Rent();
        try
        {
            AesCtr.Transform(aes, box[..IvSize], box[IvSize..^MacSize], plaintext);
        }
        finally
        {
            _ctr.Return(aes);
        }
        return true;
    }

    /// <summary>
    /// Opens <paramref name="box"/> into a new array; throws <see cref="InvalidDataException"/>
    /// ("ciphertext verification failed") when it is too short or its MAC does not match.
    /// </summary>
    public byte[] Open(ReadOnlySpan<byte> box)
    {
        if (box.Length < Overhead)
        {
            throw new InvalidDataException($"ciphertext verification failed: box of {box.Length} bytes is shorter than {Overhead}");
        }
        var plaintext = new byte[box.Length - Overhead];
        if (!TryOpen(box, plaintext))
        {
            throw new InvalidDataException("ciphertext verification failed");
        }
        return plaintext;
    }

    /// <summary>
    /// Decrypts one piece of a box's ciphertext: <paramref name="ciphertext"/> holds bytes [<paramref name="offset"/>,
    /// <paramref name="offset"/> + length) of the ciphertext of the box with <paramref name="iv"/>, and
    /// <paramref name="destination"/> (the same length; may be the same memory) receives their plaintext. Counter mode
    /// allows any range. Nothing is checked: for a box too large to hold whole, whose MAC is computed separately
    /// (<see cref="StartMac"/>); nothing decrypted may be trusted before that MAC matches.
    /// </summary>
    public void DecryptPart(ReadOnlySpan<byte> iv, long offset, ReadOnlySpan<byte> ciphertext, Span<byte> destination)
    {
        if (iv.Length != IvSize)
        {
            throw new ArgumentException($"the IV is {IvSize} bytes", nameof(iv));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (destination.Length != ciphertext.Length)
        {
            throw new ArgumentException("destination must have the ciphertext's length", nameof(destination));
        }
        if (destination.IsEmpty)
        {
            return;
        }
        // The counter for ciphertext block k is IV + k, as one 128-bit big-endian number.
        Span<byte> counter = stackalloc byte[IvSize];
        var block = offset / 16;
        var skip = (int)(offset % 16);
        SetCounter(iv, block, counter);
        var aes = _ctr.Rent();
        try
        {
            if (skip == 0)
            {
                AesCtr.Transform(aes, counter, ciphertext, destination);
                return;
            }
            // A piece starting inside a block: that block's part through a scratch block, then the rest from the next counter.
            Span<byte> first = stackalloc byte[16];
            first.Clear();
            var head = Math.Min(16 - skip, destination.Length);
            ciphertext[..head].CopyTo(first[skip..]);
            AesCtr.Transform(aes, counter, first, first);
            first.Slice(skip, head).CopyTo(destination);
            CryptographicOperations.ZeroMemory(first);
            if (head == destination.Length)
            {
                return;
            }
            SetCounter(iv, block + 1, counter);
            AesCtr.Transform(aes, counter, ciphertext[head..], destination[head..]);
        }
        finally
        {
            _ctr.Return(aes);
        }
    }

    private static void SetCounter(ReadOnlySpan<byte> iv, long block, Span<byte> counter)
    {
        var hi = BinaryPrimitives.ReadUInt64BigEndian(iv);
        var lo = BinaryPrimitives.ReadUInt64BigEndian(iv[8..]);
        var sum = lo + (ulong)block;
        BinaryPrimitives.WriteUInt64BigEndian(counter, sum < lo ? hi + 1 : hi);
        BinaryPrimitives.WriteUInt64BigEndian(counter[8..], sum);
    }

    /// <summary>
    /// The MAC of the box with <paramref name="iv"/>, to be fed its ciphertext piece by piece (for a box too large to
    /// hold whole); compare the finished tag with the box's last 16 bytes in constant time.
    /// </summary>
    internal Poly1305.State StartMac(ReadOnlySpan<byte> iv)
    {
        Span<byte> polyKey = stackalloc byte[Poly1305.KeySize];
        _macR.CopyTo(polyKey);
        var aes = _nonce.Rent();
        try
        {
            aes.EncryptEcb(iv, polyKey[MacKeySize..], PaddingMode.None);
        }
        finally
        {
            _nonce.Return(aes);
        }
        var state = new Poly1305.State(polyKey);
        CryptographicOperations.ZeroMemory(polyKey);
        return state;
    }

    /// <summary>True when <paramref name="box"/> is at least <see cref="Overhead"/> bytes and its MAC matches (constant-time compare).</summary>
    public bool Verify(ReadOnlySpan<byte> box)
    {
        if (box.Length < Overhead)
        {
            return false;
        }
        Span<byte> mac = stackalloc byte[MacSize];
        ComputeMac(box[..IvSize], box[IvSize..^MacSize], mac);
        return CryptographicOperations.FixedTimeEquals(mac, box[^MacSize..]);
    }

    private void ComputeMac(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext, Span<byte> mac)
    {
        StartMac(iv).Finish(ciphertext, mac);
    }

    /// <summary>Applies the Poly1305 clamp to a 16-byte <c>r</c> in place.</summary>
    internal static void Clamp(Span<byte> r)
    {
        r[3] &= 0x0f;
        r[7] &= 0x0f;
        r[11] &= 0x0f;
        r[15] &= 0x0f;
        r[4] &= 0xfc;
        r[8] &= 0xfc;
        r[12] &= 0xfc;
    }

    private static bool IsZero(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExcept((byte)0);
}
