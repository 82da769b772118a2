using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Coffer.Core.Crypto;
using Coffer.Core.Index;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Microsoft.Win32.SafeHandles;

namespace Coffer.Core.Repository;

/// <summary>
/// A local copy of a repository's loaded index, so that a command can skip reading, decrypting and parsing every
/// index file: one file per repository, <c>DIRECTORY/&lt;repository id&gt;/index</c>, holding the ids of the index
/// files it was built from and the <see cref="MasterIndex"/> image, encrypted and authenticated with the
/// repository's key (the blob ids in it say what the repository holds). It is only a convenience: it is used
/// only when every index file it was built from still exists (index files never change, so it is then exactly
/// their union, and files added since are loaded on top of it); anything unreadable, unauthentic or stale is
/// ignored and replaced; failing to write it is not an error.
/// </summary>
public sealed class IndexCache(string directory)
{
    private const ulong Magic = 0x3154455358444943; // "CIDXSET1" read as a little-endian word
    private const string TagName = "CACHEDIR.TAG";

    /// <summary>The cache directory (holding one directory per repository).</summary>
    public string Directory { get; } = directory;

    /// <summary>The file for <paramref name="repository"/>.</summary>
    public string PathFor(Repository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return Path.Combine(Directory, repository.Config.Id, "index");
    }

    /// <summary>
    /// The cached index of <paramref name="repository"/> when every index file it was built from is among
    /// <paramref name="current"/>, with the ids it covers; null otherwise (no cache, unreadable, not authentic,
    /// or built from a file that is gone).
    /// </summary>
    public (MasterIndex Index, HashSet<Id> Covered)? TryLoad(Repository repository, IReadOnlyCollection<Id> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var path = PathFor(repository);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        using (handle)
        {
            var length = RandomAccess.GetLength(handle);
            if (length < CryptoKey.Overhead + 12 || length > int.MaxValue)
            {
                return null;
            }
            // Fresh memory is what loading costs most (a page fault per 4 KiB), so there is no buffer for the whole
            // file: the pieces are read and decrypted straight into the index's arrays, in parallel, while the MAC
            // is computed over a second read of the file on another thread. Nothing read is used unless it matches.
            // Whatever goes wrong (a short or failing read, a damaged image) means "no cache".
            var key = repository.Key;
            var iv = new byte[CryptoKey.IvSize];
            var ciphertextLength = length - CryptoKey.Overhead;
            Task<bool> verified;
            try
            {
                ReadExactly(handle, iv, 0);
                verified = Task.Run(() => MacMatches(key, handle, iv, ciphertextLength));
            }
            catch (IOException)
            {
                return null;
            }
            (MasterIndex, HashSet<Id>)? result;
            try
            {
                result = Decrypt(key, handle, iv, (int)ciphertextLength, current);
            }
            catch (Exception e) when (e is IOException or AggregateException or OutOfMemoryException)
            {
                result = null;
            }
            try
            {
                // Awaited on every path: the check reads through the handle disposed below.
                return verified.GetAwaiter().GetResult() ? result : null;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    private static (MasterIndex Index, HashSet<Id> Covered)? Decrypt(CryptoKey key, SafeFileHandle handle, byte[] iv, int plainLength, IReadOnlyCollection<Id> current)
    {
        void ReadPlain(long offset, Span<byte> destination)
        {
            ReadExactly(handle, destination, CryptoKey.IvSize + offset);
            key.DecryptPart(iv, offset, destination, destination);
        }

        Span<byte> head = stackalloc byte[12];
        ReadPlain(0, head);
        var idCount = BinaryPrimitives.ReadInt32LittleEndian(head[8..]);
        if (BinaryPrimitives.ReadUInt64LittleEndian(head) != Magic || idCount < 0 || idCount > current.Count || 12L + ((long)idCount * Id.Size) > plainLength)
        {
            return null;
        }
        var ids = new byte[idCount * Id.Size];
        ReadPlain(12, ids);
        var available = current as HashSet<Id> ?? [.. current];
        var covered = new HashSet<Id>(idCount);
        for (var i = 0; i < idCount; i++)
        {
            var id = Id.FromBytes(ids.AsSpan(i * Id.Size, Id.Size));
            if (!available.Contains(id))
            {
                return null;
            }
            covered.Add(id);
        }
        var imageStart = 12 + ids.Length;
        var index = MasterIndex.TryReadImage(plainLength - imageStart, (offset, destination) => ReadPlain(imageStart + offset, destination));
        return index is null ? null : (index, covered);
    }

    /// <summary>Whether the MAC at the end of the file matches its ciphertext, read in 1 MiB pieces.</summary>
    private static bool MacMatches(CryptoKey key, SafeFileHandle handle, byte[] iv, long ciphertextLength)
    {
        const int Piece = 1 << 20;
        var mac = key.StartMac(iv);
        var buffer = ArrayPool<byte>.Shared.Rent(Piece);
        try
        {
            long at = 0;
            for (; ciphertextLength - at > Piece; at += Piece)
            {
                ReadExactly(handle, buffer.AsSpan(0, Piece), CryptoKey.IvSize + at);
                mac.Append(buffer.AsSpan(0, Piece));
            }
            var rest = buffer.AsSpan(0, (int)(ciphertextLength - at));
            ReadExactly(handle, rest, CryptoKey.IvSize + at);
            Span<byte> computed = stackalloc byte[CryptoKey.MacSize];
            mac.Finish(rest, computed);
            Span<byte> stored = stackalloc byte[CryptoKey.MacSize];
            ReadExactly(handle, stored, CryptoKey.IvSize + ciphertextLength);
            return CryptographicOperations.FixedTimeEquals(computed, stored);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read <= 0)
            {
                throw new IOException("the cache file is shorter than it was");
            }
            destination = destination[read..];
            offset += read;
        }
    }

    /// <summary>
    /// Replaces the cached index of <paramref name="repository"/> with <paramref name="index"/>, the union of the
    /// index files <paramref name="ids"/>. Written to a new file and renamed over the old one; owner-only
    /// permissions. Returns false (and changes nothing) when it cannot be written.
    /// </summary>
    public bool Save(Repository repository, MasterIndex index, IReadOnlyCollection<Id> ids)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(ids);
        var path = PathFor(repository);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var imageLength = index.ImageLength;
            var plainLength = 12 + ((long)ids.Count * Id.Size) + imageLength;
            if (plainLength + CryptoKey.Overhead > int.MaxValue)
            {
                return false;
            }
            // Sealed in place: the plaintext is built where the ciphertext goes.
            using var sealedBytes = new NativeBuffer((int)plainLength + CryptoKey.Overhead);
            var text = sealedBytes.GetSpan()[CryptoKey.IvSize..^CryptoKey.MacSize];
            BinaryPrimitives.WriteUInt64LittleEndian(text, Magic);
            BinaryPrimitives.WriteInt32LittleEndian(text[8..], ids.Count);
            var at = 12;
            foreach (var id in ids)
            {
                id.CopyTo(text[at..]);
                at += Id.Size;
            }
            if (index.WriteImage(text[at..]) != imageLength)
            {
                return false;
            }
            repository.Key.Seal(text, sealedBytes.GetSpan());
            CreateDirectories(Path.GetDirectoryName(path)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFile;
            }
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(sealedBytes.GetSpan());
            }
            File.Move(temporary, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // Left behind; the next save writes another name.
            }
            return false;
        }
    }

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the cache directory (owner only, tagged as a cache so backups can skip it) and the repository's.</summary>
    private void CreateDirectories(string repositoryDirectory)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            CreateOwnerOnly(Directory);
        }
        var tag = Path.Combine(Directory, TagName);
        if (!File.Exists(tag))
        {
            // The cache directory tag convention (bford.info/cachedir): the signature line, then a comment.
            File.WriteAllText(tag, "Signature: 8a477f597d28d172789f06886806bc55\n# This directory holds Coffer's local cache; it can be deleted.\n");
        }
        if (!System.IO.Directory.Exists(repositoryDirectory))
        {
            CreateOwnerOnly(repositoryDirectory);
        }
    }

    private static void CreateOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
        }
        else
        {
            System.IO.Directory.CreateDirectory(path, OwnerOnlyDirectory);
        }
    }
}
