using System.Security.Cryptography;
using Coffer.Core.Interop;
using Coffer.Core.Primitives;
using Microsoft.Win32.SafeHandles;

namespace Coffer.Core.Restorer;

/// <summary>
/// Compares a file in the target with an entry's blobs: each blob's range is read in pieces of a fixed buffer and
/// hashed, so nothing is sized from the data. Used to find the parts of an existing file that must be rewritten
/// and by <c>--verify</c>. Stateless and thread-safe (each caller passes its own buffer).
/// </summary>
internal static class ContentCheck
{
    /// <summary>The buffer size callers should pass.</summary>
    public const int BufferSize = 1 << 20;

    /// <summary>
    /// Which blobs of <paramref name="entry"/> differ from the file's content (or lie beyond its end,
    /// <paramref name="fileSize"/>).
    /// </summary>
    public static bool[] Mismatches(SafeFileHandle file, long fileSize, PlannedEntry entry, byte[] buffer, CancellationToken cancellationToken)
    {
        var mismatch = new bool[entry.Blobs.Length];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> digest = stackalloc byte[32];
        long offset = 0;
        for (var i = 0; i < entry.Blobs.Length; offset += entry.Lengths[i], i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int length = entry.Lengths[i];
            if (offset + length > fileSize)
            {
                mismatch[i] = true;
                continue;
            }
            var done = 0;
            while (done < length)
            {
                var want = Math.Min(buffer.Length, length - done);
                var got = PosixFileSystem.ReadAt(file, buffer.AsSpan(0, want), offset + done);
                if (got <= 0)
                {
                    break;
                }
                hash.AppendData(buffer, 0, got);
                done += got;
            }
            hash.GetHashAndReset(digest);
            mismatch[i] = done != length || Id.FromBytes(digest) != entry.Blobs[i].Value;
        }
        return mismatch;
    }
}
