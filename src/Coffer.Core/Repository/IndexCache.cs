using System.Buffers.Binary;
using Coffer.Core.Crypto;
using Coffer.Core.Index;
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
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            var length = RandomAccess.GetLength(handle);
            if (length < CryptoKey.Overhead + 12 || length > int.MaxValue)
            {
                return null;
            }
            using var stored = new NativeBuffer((int)length);
            if (RandomAccess.Read(handle, stored.GetSpan(), 0) != length)
            {
                return null;
            }
            // Opened in place: a second buffer of this size would cost as much in page faults as the decryption.
            var text = stored.GetSpan()[CryptoKey.IvSize..^CryptoKey.MacSize];
            if (!repository.Key.TryOpen(stored.GetSpan(), text) || BinaryPrimitives.ReadUInt64LittleEndian(text) != Magic)
            {
                return null;
            }
            var idCount = BinaryPrimitives.ReadInt32LittleEndian(text[8..]);
            if (idCount < 0 || idCount > current.Count || 12L + ((long)idCount * Id.Size) > text.Length)
            {
                return null;
            }
            var available = current as HashSet<Id> ?? [.. current];
            var covered = new HashSet<Id>(idCount);
            for (var i = 0; i < idCount; i++)
            {
                var id = Id.FromBytes(text.Slice(12 + (i * Id.Size), Id.Size));
                if (!available.Contains(id))
                {
                    return null;
                }
                covered.Add(id);
            }
            var index = MasterIndex.TryReadImage(text[(12 + (idCount * Id.Size))..]);
            return index is null ? null : (index, covered);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
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
