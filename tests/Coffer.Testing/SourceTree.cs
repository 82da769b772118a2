using System.Security.Cryptography;
using System.Text;

namespace Coffer.Testing;

/// <summary>Builds deterministic source trees for backup/restore tests.</summary>
public static class SourceTree
{
    /// <summary>Deterministic bytes: SHA-256 in counter mode over a seed.</summary>
    public static byte[] Stream(string seed, int length)
    {
        var result = new byte[length];
        var seedBytes = Encoding.UTF8.GetBytes(seed);
        Span<byte> input = stackalloc byte[seedBytes.Length + 8];
        seedBytes.CopyTo(input);
        for (var i = 0L; i * 32 < length; i++)
        {
            BitConverter.TryWriteBytes(input[seedBytes.Length..], i);
            var block = SHA256.HashData(input);
            block.AsSpan(0, (int)Math.Min(32, length - i * 32)).CopyTo(result.AsSpan((int)(i * 32)));
        }
        return result;
    }

    /// <summary>A small mixed tree: text, binary, a multi-chunk file, empty file and dir, nested dirs, a symlink, odd names.</summary>
    public static void CreateMixed(string root)
    {
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "hello.txt"), "hello, world\n");
        File.WriteAllBytes(Path.Combine(root, "random.bin"), Stream("random", 100_000));
        File.WriteAllBytes(Path.Combine(root, "big.bin"), Stream("big", 3 * 1024 * 1024 + 17));
        File.WriteAllText(Path.Combine(root, "empty.txt"), "");
        File.WriteAllText(Path.Combine(root, "grüße-日本語.txt"), "unicode name\n");
        File.WriteAllText(Path.Combine(root, "weird \"quote\" back\\slash\ttab.txt"), "quoted name\n");
        Directory.CreateDirectory(Path.Combine(root, "empty-dir"));
        Directory.CreateDirectory(Path.Combine(root, "nested", "deeper"));
        File.WriteAllText(Path.Combine(root, "nested", "readme.md"), string.Concat(Enumerable.Repeat("compressible text line\n", 5000)));
        File.WriteAllText(Path.Combine(root, "nested", "deeper", "deep.txt"), "deep\n");
        File.CreateSymbolicLink(Path.Combine(root, "link-to-hello"), "hello.txt");
        File.SetUnixFileMode(Path.Combine(root, "random.bin"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var fixedTime = new DateTime(2021, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        foreach (var f in Directory.GetFiles(root, "*", SearchOption.AllDirectories).Where(f => !new FileInfo(f).Attributes.HasFlag(FileAttributes.ReparsePoint)))
        {
            File.SetLastWriteTimeUtc(f, fixedTime);
        }
    }
}
