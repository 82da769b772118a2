using System.Buffers.Binary;
using Coffer.Core.Crypto;
using Coffer.Core.Index;
using Coffer.Core.Interop;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;

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
public sealed unsafe class IndexCache(string directory)
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
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            var length = RandomAccess.GetLength(handle);
            if (length < CryptoKey.Overhead + 12 || length > int.MaxValue)
            {
                return null;
            }
            // Read in place from the page cache: the MAC is checked over the mapping, and the image is decrypted
            // from it straight into the index's arrays. Fresh memory is what loading costs most (a page fault per
            // 4 KiB), and a plaintext copy of the whole file would double it. The file is only ever replaced by a
            // rename, never rewritten, so the mapped bytes cannot change underneath.
            var mapping = Libc.MMap(null, (nuint)length, Libc.ProtRead, Libc.MapPrivatePopulate, (int)handle.DangerousGetHandle(), 0);
            if (mapping == (void*)-1)
            {
                return null;
            }
            try
            {
                return Parse(repository.Key, (nint)mapping, (int)length, current);
            }
            finally
            {
                _ = Libc.MUnmap(mapping, (nuint)length);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static (MasterIndex Index, HashSet<Id> Covered)? Parse(CryptoKey key, nint mapping, int length, IReadOnlyCollection<Id> current)
    {
        // The MAC is checked alongside the decryption, on another thread; nothing read is used unless it matches.
        var verified = Task.Run(() => key.Verify(new ReadOnlySpan<byte>((void*)mapping, length)));
        var result = Decrypt(key, mapping, length, current);
        return verified.GetAwaiter().GetResult() ? result : null;
    }

    private static (MasterIndex Index, HashSet<Id> Covered)? Decrypt(CryptoKey key, nint mapping, int length, IReadOnlyCollection<Id> current)
    {
        var box = new ReadOnlySpan<byte>((void*)mapping, length);
        Span<byte> head = stackalloc byte[12];
        key.DecryptPart(box, 0, head);
        var plainLength = length - CryptoKey.Overhead;
        var idCount = BinaryPrimitives.ReadInt32LittleEndian(head[8..]);
        if (BinaryPrimitives.ReadUInt64LittleEndian(head) != Magic || idCount < 0 || idCount > current.Count || 12L + ((long)idCount * Id.Size) > plainLength)
        {
            return null;
        }
        var ids = new byte[idCount * Id.Size];
        key.DecryptPart(box, 12, ids);
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
        var index = MasterIndex.TryReadImage(plainLength - imageStart,
            (offset, destination) => key.DecryptPart(new ReadOnlySpan<byte>((void*)mapping, length), imageStart + offset, destination));
        return index is null ? null : (index, covered);
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
