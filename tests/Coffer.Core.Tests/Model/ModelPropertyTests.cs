using System.Buffers;
using System.Text;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Coffer.Core.Tests.Model;

public sealed class ModelPropertyTests
{
    private static readonly Config Many = Config.QuickThrowOnFailure.WithMaxTest(500);

    [Fact]
    public void GoQuote_round_trips_arbitrary_bytes()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), raw =>
        {
            var quoted = GoQuote.Quote(raw);
            return System.Text.Unicode.Utf8.IsValid(quoted) && GoQuote.Unquote(quoted).AsSpan().SequenceEqual(raw);
        }).Check(Many);
    }

    [Fact]
    public void GoQuote_round_trips_arbitrary_strings()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
        {
            var raw = Encoding.UTF8.GetBytes(text ?? "");
            return GoQuote.Unquote(GoQuote.Quote(raw)).AsSpan().SequenceEqual(raw);
        }).Check(Many);
    }

    [Fact]
    public void Tree_encode_parse_encode_is_stable_for_random_nodes()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var random = new Random(seed);
            var nodes = Enumerable.Range(0, random.Next(0, 12)).Select(_ => RandomNode(random))
                .DistinctBy(n => Convert.ToHexString(n.Name)).ToList();
            var first = new Tree(nodes).Encode();
            var parsed = Tree.Parse(first);
            var second = parsed.Encode();
            return first.AsSpan().SequenceEqual(second)
                && parsed.Nodes.Count == nodes.Count
                && parsed.Nodes.Zip(new Tree(nodes).Nodes).All(p => p.First.Name.AsSpan().SequenceEqual(p.Second.Name)
                    && p.First.LinkTarget.AsSpan().SequenceEqual(p.Second.LinkTarget));
        }).Check(Many);
    }

    [Fact]
    public void Snapshot_round_trips()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var random = new Random(seed);
            var s = new Snapshot
            {
                Time = RandomTime(random),
                Parent = random.Next(2) == 0 ? null : new SnapshotId(RandomId(random)),
                Tree = new BlobId(RandomId(random)),
                Paths = RandomStrings(random, 1),
                Hostname = RandomText(random),
                Username = RandomText(random),
                Uid = (uint)random.Next(3),
                Gid = (uint)random.NextInt64(0, uint.MaxValue),
                Excludes = RandomStrings(random, 0),
                Tags = RandomStrings(random, 0),
                Original = random.Next(2) == 0 ? null : new SnapshotId(RandomId(random)),
                ProgramVersion = random.Next(2) == 0 ? null : "restic " + random.Next(100),
                Summary = random.Next(2) == 0 ? null : new SnapshotSummary
                {
                    BackupStart = RandomTime(random),
                    BackupEnd = RandomTime(random),
                    DataBlobs = random.NextInt64(),
                    TotalBytesProcessed = (ulong)random.NextInt64(),
                },
            };
            if (random.Next(2) == 0)
            {
                s.ExtraFields.Add(new("future", Encoding.UTF8.GetBytes($"{{\"n\":{random.Next()},\"s\":\"<{random.Next()}>\"}}")));
            }
            var first = s.Encode();
            var second = Snapshot.Parse(first).Encode();
            return first.AsSpan().SequenceEqual(second) && first[^1] == '}';
        }).Check(Many);
    }

    [Fact]
    public void GoTime_format_parse_round_trips()
    {
        var arb = (from day in Gen.Choose(-719162 + 1, 2932896 - 1)
                   from second in Gen.Choose(0, 86399)
                   from nanos in Gen.OneOf(Gen.Constant(0), Gen.Choose(0, 999_999_999), Gen.Choose(1, 999).Select(m => m * 1_000_000))
                   from offsetMinutes in Gen.OneOf(Gen.Constant(0), Gen.Choose(-24 * 60 + 1, 24 * 60 - 1))
                   select new GoTime(day * 86400L + second, nanos, offsetMinutes * 60)).ToArbitrary();
        Prop.ForAll(arb, t =>
        {
            var text = t.ToString();
            var buffer = new ArrayBufferWriter<byte>();
            new GoJsonWriter(buffer).WriteTime(t);
            return GoTime.Parse(text) == t && Encoding.ASCII.GetString(buffer.WrittenSpan) == "\"" + text + "\"";
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }

    private static Node RandomNode(Random random)
    {
        var type = (NodeType)random.Next(1, 9);
        var node = new Node
        {
            Name = RandomName(random),
            Type = type,
            Mode = random.Next(3) == 0 ? 0 : (uint)random.NextInt64(0, uint.MaxValue),
            ModTime = RandomTime(random),
            AccessTime = RandomTime(random),
            ChangeTime = RandomTime(random),
            Uid = (uint)random.Next(0, 3),
            Gid = (uint)random.NextInt64(0, uint.MaxValue),
            User = random.Next(2) == 0 ? "" : RandomText(random),
            Group = random.Next(2) == 0 ? "" : RandomText(random),
            Inode = random.Next(2) == 0 ? 0 : (ulong)random.NextInt64() * 2,
            DeviceId = (ulong)random.Next(3),
            Size = random.Next(2) == 0 ? 0 : ulong.MaxValue - (ulong)random.Next(),
            Links = (ulong)random.Next(3),
            LinkTarget = random.Next(2) == 0 ? [] : RandomName(random),
            Device = (ulong)random.Next(2) * 259,
            Error = random.Next(4) == 0 ? RandomText(random) : null,
        };
        if (random.Next(3) == 0)
        {
            node.ExtendedAttributes = [new(RandomText(random), random.Next(3) == 0 ? null : RandomName(random)), new("user.b", [])];
        }
        if (random.Next(3) == 0)
        {
            node.GenericAttributes = new Dictionary<string, byte[]>(StringComparer.Ordinal)
            {
                ["windows.b"] = "{ \"x\" : [ 1, \"<&>\" ] }"u8.ToArray(),
                [RandomText(random) + "a"] = "12"u8.ToArray(),
            };
        }
        if (type == NodeType.File || random.Next(5) == 0)
        {
            node.Content = [.. Enumerable.Range(0, random.Next(4)).Select(_ => new BlobId(RandomId(random)))];
        }
        if (type == NodeType.Dir || random.Next(5) == 0)
        {
            node.Subtree = new BlobId(RandomId(random));
        }
        return node;
    }

    private static byte[] RandomName(Random random)
    {
        var alphabet = new byte[][]
        {
            "a"u8.ToArray(), "Z"u8.ToArray(), "\""u8.ToArray(), "\\"u8.ToArray(), "<"u8.ToArray(), "&"u8.ToArray(),
            [0x00], [0x07], [0x0A], [0x7F], [0xFF], [0xC3], [0xED, 0xA0, 0x80],
            Encoding.UTF8.GetBytes("é"), Encoding.UTF8.GetBytes("\u00A0"), Encoding.UTF8.GetBytes("\u2028"),
            Encoding.UTF8.GetBytes("日"), Encoding.UTF8.GetBytes("😀"), Encoding.UTF8.GetBytes("\U000E0001"),
        };
        var name = new List<byte>();
        var length = random.Next(1, 10);
        for (var i = 0; i < length; i++)
        {
            name.AddRange(alphabet[random.Next(alphabet.Length)]);
        }
        return [.. name];
    }

    private static string RandomText(Random random) =>
        new([.. Enumerable.Range(0, random.Next(0, 8)).Select(_ => "ab<>&\"\\\t\n\u0001é日\u2028"[random.Next(13)])]);

    private static List<string> RandomStrings(Random random, int min) =>
        [.. Enumerable.Range(0, random.Next(min, 4)).Select(_ => RandomText(random))];

    private static Id RandomId(Random random)
    {
        var bytes = new byte[Id.Size];
        random.NextBytes(bytes);
        return Id.FromBytes(bytes);
    }

    private static GoTime RandomTime(Random random) =>
        new(random.NextInt64(-62135596800 + 86400, 253402300799 - 86400), random.Next(3) == 0 ? 0 : random.Next(1_000_000_000), random.Next(-14 * 60, 14 * 60 + 1) * 60);
}
