using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Coffer.Core.Primitives;

/// <summary>
/// A 32-byte SHA-256 identifier, held as four 64-bit words so equality and hashing are cheap.
/// The text form is 64 lowercase hex digits. Immutable and safe to share.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Id : IEquatable<Id>, IComparable<Id>
{
    /// <summary>Length of an id in bytes.</summary>
    public const int Size = 32;

    // Words hold the bytes in big-endian order so that comparing words compares bytes.
    private readonly ulong _w0, _w1, _w2, _w3;

    private Id(ulong w0, ulong w1, ulong w2, ulong w3)
    {
        _w0 = w0;
        _w1 = w1;
        _w2 = w2;
        _w3 = w3;
    }

    /// <summary>The all-zero id (used as "none").</summary>
    public static Id Zero => default;

    /// <summary>True for the all-zero id.</summary>
    public bool IsZero => (_w0 | _w1 | _w2 | _w3) == 0;

    /// <summary>Builds an id from exactly 32 bytes.</summary>
    public static Id FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"an id has {Size} bytes, got {bytes.Length}", nameof(bytes));
        }
        return new Id(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));
    }

    /// <summary>The SHA-256 of <paramref name="data"/>.</summary>
    public static Id Hash(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Size];
        SHA256.HashData(data, digest);
        return FromBytes(digest);
    }

    /// <summary>Parses 64 hex digits (either case). Throws <see cref="FormatException"/> otherwise.</summary>
    public static Id Parse(ReadOnlySpan<char> hex)
    {
        if (!TryParse(hex, out var id))
        {
            throw new FormatException($"not a 64-digit hex id: '{hex}'");
        }
        return id;
    }

    /// <summary>Parses 64 hex digits (either case).</summary>
    public static bool TryParse(ReadOnlySpan<char> hex, out Id id)
    {
        id = default;
        if (hex.Length != Size * 2)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }
        id = FromBytes(bytes);
        return true;
    }

    /// <summary>Parses 64 hex digits given as UTF-8 bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Hex, out Id id)
    {
        id = default;
        if (utf8Hex.Length != Size * 2)
        {
            return false;
        }
        Span<char> chars = stackalloc char[Size * 2];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)utf8Hex[i];
        }
        return TryParse(chars, out id);
    }

    /// <summary>Writes the 32 bytes into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _w0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _w1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _w2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _w3);
    }

    /// <summary>The 32 bytes as a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>The first 8 bytes as a big-endian number (well distributed: a hash prefix).</summary>
    public ulong Prefix => _w0;

    /// <summary>The 64-digit lowercase hex form.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>The 8-digit short form restic prints.</summary>
    public string ToShortString() => ToString()[..8];

    /// <inheritdoc />
    public bool Equals(Id other) => _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Id other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (int)(_w0 ^ (_w0 >> 32));

    /// <inheritdoc />
    public int CompareTo(Id other)
    {
        var c = _w0.CompareTo(other._w0);
        if (c != 0) return c;
        c = _w1.CompareTo(other._w1);
        if (c != 0) return c;
        c = _w2.CompareTo(other._w2);
        return c != 0 ? c : _w3.CompareTo(other._w3);
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(Id left, Id right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Id left, Id right) => !left.Equals(right);

    /// <summary>Ordering by bytes.</summary>
    public static bool operator <(Id left, Id right) => left.CompareTo(right) < 0;

    /// <summary>Ordering by bytes.</summary>
    public static bool operator >(Id left, Id right) => left.CompareTo(right) > 0;

    /// <summary>Ordering by bytes.</summary>
    public static bool operator <=(Id left, Id right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering by bytes.</summary>
    public static bool operator >=(Id left, Id right) => left.CompareTo(right) >= 0;
}
