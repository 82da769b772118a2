using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Coffer.Core.Compression;
using Coffer.Core.Crypto;
using Coffer.Core.Tests.Crypto;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Coffer.Core.Tests.Compression;

public sealed class ZstdTests
{
    private const int Limit = 64 << 20;

    [Fact]
    public void CompressDecompress_RoundTrips_Property()
    {
        Prop.ForAll<byte[], int>((data, level) =>
        {
            var lvl = 1 + (int)((uint)level % 12);
            var frame = Zstd.Compress(data, lvl);
            var known = new byte[data.Length];
            Zstd.DecompressKnownSize(frame, known);
            return known.AsSpan().SequenceEqual(data)
                && Zstd.Decompress(frame, data.Length).AsSpan().SequenceEqual(data);
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(1 << 20)]
    [InlineData(3_000_001)]
    public void RoundTrips_TextLikeAndRandom(int length)
    {
        foreach (var data in new[] { TextLike(length), RandomNumberGenerator.GetBytes(length) })
        {
            var destination = new byte[Zstd.CompressBound(data.Length)];
            var written = Zstd.Compress(data, destination, Zstd.AutoLevel);
            var frame = destination.AsSpan(0, written);
            var back = new byte[length];
            Zstd.DecompressKnownSize(frame, back);
            Assert.Equal(data, back);
            Assert.Equal(data, Zstd.Decompress(frame, length));
        }
    }

    [Fact]
    public void DecompressKnownSize_RefusesAWrongLength()
    {
        var frame = Zstd.Compress(TextLike(1000), Zstd.AutoLevel);
        Assert.Throws<InvalidDataException>(() => Zstd.DecompressKnownSize(frame, new byte[999]));
        Assert.Throws<InvalidDataException>(() => Zstd.DecompressKnownSize(frame, new byte[1001]));
    }

    [Fact]
    public void Compress_TooSmallDestination_Throws()
    {
        var data = RandomNumberGenerator.GetBytes(1000);
        Assert.Throws<ArgumentException>(() => Zstd.Compress(data, new byte[100], 3));
    }

    [Fact]
    public void LevelFor_Modes()
    {
        Assert.Equal(3, Zstd.LevelFor(CompressionMode.Auto));
        Assert.Equal(3, Zstd.LevelFor(CompressionMode.Off));
        Assert.Equal(11, Zstd.LevelFor(CompressionMode.Max));
        Assert.Throws<ArgumentOutOfRangeException>(() => Zstd.LevelFor((CompressionMode)17));
    }

    [Fact]
    public void FixtureIndexAndSnapshotFiles_DecompressToWhatResticPrints()
    {
        var master = CryptoKeyTests.FixtureMasterKey();
        var checkedFiles = 0;
        foreach (var kind in new[] { "index", "snapshots" })
        {
            foreach (var path in Directory.GetFiles(Path.Combine(FixturePaths.Repo, kind)))
            {
                var box = File.ReadAllBytes(path);
                var id = Path.GetFileName(path);
                Assert.Equal(id, Hex.Of(SHA256.HashData(box)));
                var plaintext = master.Open(box);
                Assert.Equal(2, plaintext[0]);
                var json = Zstd.Decompress(plaintext.AsSpan(1), Limit);
                var expected = File.ReadAllBytes(Path.Combine(FixturePaths.Expected, kind, id + ".json"));
                if (kind == "index")
                {
                    Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(json));
                }
                else
                {
                    // restic cat snapshot re-indents; compare as JSON.
                    Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(json)));
                }
                checkedFiles++;
            }
        }
        Assert.Equal(4, checkedFiles);
    }

    [Fact]
    public void ZstdToolFrames_WithChecksum_WithoutSize_AndConcatenated_Decode()
    {
        if (!File.Exists("/usr/bin/zstd"))
        {
            Assert.Skip("zstd command line tool not installed");
        }
        var first = TextLike(300_000);
        var second = RandomNumberGenerator.GetBytes(70_000);

        var checkedFrame = RunZstd(first, "-q", "-c", "--check", "-19");
        Assert.Equal(first, Zstd.Decompress(checkedFrame, Limit));

        // From a pipe the tool does not know the size: no content-size field.
        var noSize = RunZstd(second, "-q", "-c", "--no-check", "--no-content-size");
        Assert.Equal(second, Zstd.Decompress(noSize, Limit));
        var exact = new byte[second.Length];
        Zstd.DecompressKnownSize(noSize, exact);
        Assert.Equal(second, exact);

        byte[] both = [.. checkedFrame, .. noSize];
        Assert.Equal([.. first, .. second], Zstd.Decompress(both, Limit));
        var known = new byte[first.Length + second.Length];
        Zstd.DecompressKnownSize(both, known);
        Assert.Equal([.. first, .. second], known);

        // A checksum that does not match is corruption.
        var damaged = checkedFrame.ToArray();
        damaged[^1] ^= 1;
        Assert.Throws<InvalidDataException>(() => Zstd.Decompress(damaged, Limit));
    }

    [Fact]
    public void Bomb_IsRefused()
    {
        var zeros = new byte[100 << 20];
        var bomb = Zstd.Compress(zeros, 3);
        Assert.True(bomb.Length < 100_000);
        var e = Assert.Throws<InvalidDataException>(() => Zstd.Decompress(bomb, 1 << 20));
        Assert.Contains("limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bomb_WithoutContentSize_IsRefusedWhileStreaming()
    {
        if (!File.Exists("/usr/bin/zstd"))
        {
            Assert.Skip("zstd command line tool not installed");
        }
        var bomb = RunZstd(new byte[20 << 20], "-q", "-c", "--no-content-size");
        Assert.Throws<InvalidDataException>(() => Zstd.Decompress(bomb, 1 << 20));
        Assert.Equal(20 << 20, Zstd.Decompress(bomb, 20 << 20).Length);
        Assert.Throws<InvalidDataException>(() => Zstd.Decompress(bomb, (20 << 20) - 1));
    }

    [Fact]
    public void Garbage_IsRefused()
    {
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            var garbage = new byte[random.Next(0, 2000)];
            random.NextBytes(garbage);
            Assert.Throws<InvalidDataException>(() => Zstd.Decompress(garbage, Limit));
        }
        Assert.Throws<InvalidDataException>(() => Zstd.Decompress([], Limit));
        Assert.Throws<InvalidDataException>(() => Zstd.DecompressKnownSize([1, 2, 3, 4, 5, 6, 7, 8], new byte[10]));
    }

    [Fact]
    public void Truncated_And_Corrupted_AreRefused()
    {
        var data = TextLike(200_000);
        var frame = Zstd.Compress(data, 3);
        for (var cut = 1; cut < frame.Length; cut += Math.Max(1, frame.Length / 50))
        {
            Assert.Throws<InvalidDataException>(() => Zstd.Decompress(frame.AsSpan(0, cut), Limit));
            Assert.Throws<InvalidDataException>(() => Zstd.DecompressKnownSize(frame.AsSpan(0, cut), new byte[data.Length]));
        }
    }

    [Fact]
    public void Concurrent_Use_IsSafe()
    {
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var data = TextLike(1000 + i * 97);
            var frame = Zstd.Compress(data, 1 + i % 5);
            Assert.Equal(data, Zstd.Decompress(frame, data.Length));
        });
    }

    internal static byte[] TextLike(int length)
    {
        string[] words = ["backup", "restore", "snapshot", "the", "of", "and", "repository", "blob", "pack", "index", "tree", "a", "zstd", "key"];
        var random = new Random(length);
        var sb = new StringBuilder(length + 16);
        while (sb.Length < length)
        {
            sb.Append(words[random.Next(words.Length)]).Append(random.Next(10) == 0 ? '\n' : ' ');
        }
        return Encoding.ASCII.GetBytes(sb.ToString(0, length));
    }

    private static byte[] RunZstd(byte[] input, params string[] args)
    {
        var start = new ProcessStartInfo("zstd")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var writer = Task.Run(() =>
        {
            process.StandardInput.BaseStream.Write(input);
            process.StandardInput.Close();
        });
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        writer.Wait();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output.ToArray();
    }
}
