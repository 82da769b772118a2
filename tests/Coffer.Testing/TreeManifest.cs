using System.Security.Cryptography;
using System.Text;
using Coffer.Core.Interop;

namespace Coffer.Testing;

/// <summary>
/// A comparable description of a directory tree: per entry its type, permission bits, size, mtime
/// (ns), content hash, link target, xattrs, device number and hard-link group. Two trees restore
/// "identically" when their manifests are equal.
/// </summary>
public static class TreeManifest
{
    public static SortedDictionary<string, string> Of(string root, bool withOwner = true, bool withDirTimes = false)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var inodes = new Dictionary<ulong, string>();
        var rootBytes = Encoding.UTF8.GetBytes(root);
        Walk(rootBytes, "");
        return result;

        void Walk(byte[] dir, string relative)
        {
            var names = PosixFileSystem.ListDirectory(dir).ToList();
            names.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
            foreach (var name in names)
            {
                var path = PosixPath.Join(dir, name);
                var rel = relative + "/" + Convert.ToHexString(name);
                var st = PosixFileSystem.LStat(path);
                var sb = new StringBuilder();
                sb.Append("mode=").Append(Convert.ToString(st.Mode, 8));
                if (withOwner)
                {
                    sb.Append(" uid=").Append(st.Uid).Append(" gid=").Append(st.Gid);
                }
                if (st.IsRegular)
                {
                    using var h = PosixFileSystem.OpenRead(path);
                    using var fs = new FileStream(h, FileAccess.Read, 0);
                    sb.Append(" size=").Append(st.Size).Append(" sha=").Append(Convert.ToHexString(SHA256.HashData(fs)));
                    if (st.Links > 1)
                    {
                        if (inodes.TryGetValue(st.Inode, out var first))
                        {
                            sb.Append(" link-of=").Append(first);
                        }
                        else
                        {
                            inodes[st.Inode] = rel;
                        }
                    }
                }
                if (st.IsSymlink)
                {
                    sb.Append(" target=").Append(Convert.ToHexString(PosixFileSystem.ReadLink(path)));
                }
                if (st.IsCharDevice || st.IsBlockDevice)
                {
                    sb.Append(" rdev=").Append(st.RDev);
                }
                if (!st.IsDirectory || withDirTimes)
                {
                    sb.Append(" mtime=").Append(st.ModTime.UnixSeconds).Append('.').Append(st.ModTime.Nanoseconds);
                }
                if (!st.IsSymlink)
                {
                    foreach (var (n, v) in PosixFileSystem.ListXattrs(path).OrderBy(x => x.Name, StringComparer.Ordinal))
                    {
                        sb.Append(" xattr:").Append(n).Append('=').Append(Convert.ToHexString(v));
                    }
                }
                result[rel] = sb.ToString();
                if (st.IsDirectory)
                {
                    Walk(path, rel);
                }
            }
        }
    }

    /// <summary>The differences, one line each, for assertion messages.</summary>
    public static List<string> Diff(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual)
    {
        var lines = new List<string>();
        foreach (var (k, v) in expected)
        {
            if (!actual.TryGetValue(k, out var a))
            {
                lines.Add($"missing {k}: {v}");
            }
            else if (a != v)
            {
                lines.Add($"differs {k}: expected {v} got {a}");
            }
        }
        lines.AddRange(actual.Keys.Where(k => !expected.ContainsKey(k)).Select(k => $"extra {k}: {actual[k]}"));
        return lines;
    }
}
