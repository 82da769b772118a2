using System.Text;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Xunit;

namespace Coffer.Core.Tests.Model;

public sealed class ListingFixtureTests
{
    public static TheoryData<string, string> Listings()
    {
        var data = new TheoryData<string, string>();
        foreach (var dir in ModelFixture.ExpectedDirectories)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(dir, "ls")).Order(StringComparer.Ordinal))
            {
                data.Add(dir, Path.GetFileName(file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Listings))]
    public void Listings_match_restic_ls_byte_for_byte(string dir, string file)
    {
        var shortId = Path.GetFileNameWithoutExtension(file).Split('-')[^1];
        var snapshotFile = Directory.GetFiles(Path.Combine(dir, "snapshots"), shortId + "*.json").Single();
        var snapshot = Snapshot.Parse(File.ReadAllBytes(snapshotFile));
        snapshot.Id = SnapshotId.Parse(Path.GetFileNameWithoutExtension(snapshotFile));
        var zone = ModelFixture.Zone;

        var actual = new List<byte[]>();
        var json = file.StartsWith("ls-json", StringComparison.Ordinal);
        if (json)
        {
            actual.Add(NodeJsonLines.FormatSnapshot(snapshot));
        }
        foreach (var (node, path) in Walk(dir, snapshot.Tree, "/"u8.ToArray()))
        {
            actual.Add(json ? NodeJsonLines.FormatNode(node, path, zone) : NodeListing.FormatLong(node, path, zone));
        }

        var expected = ModelFixture.Lines(Path.Combine(dir, "ls", file));
        Assert.Equal(expected.Select(Encoding.UTF8.GetString), actual.Select(Encoding.UTF8.GetString));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Json_node_lines_keep_the_stored_offset_without_a_zone()
    {
        var node = TreeFixtureTests.LoadSourceTree().Find("hello.txt")!;
        var stored = Encoding.UTF8.GetString(NodeJsonLines.FormatNode(node, "/src/hello.txt"u8, null));
        var utc = Encoding.UTF8.GetString(NodeJsonLines.FormatNode(node, "/src/hello.txt"u8, TimeZoneInfo.Utc));
        Assert.Contains("\"mtime\":\"2021-01-02T08:34:05.123456789+05:30\"", stored, StringComparison.Ordinal);
        Assert.Contains("\"mtime\":\"2021-01-02T03:04:05.123456789Z\"", utc, StringComparison.Ordinal);
    }

    [Fact]
    public void Odd_names_are_printed_raw_in_long_form_and_escaped_in_json()
    {
        var node = new Node { Name = [0x61, 0xFF, (byte)'<'], Type = NodeType.Symlink, LinkTarget = [0x62, 0xFE], Mode = GoFileMode.Symlink | 0x1FF, Uid = 123456, ModTime = GoTime.Parse("2021-03-01T05:30:00+05:30") };
        var path = "/x/"u8.ToArray().Concat(node.Name).ToArray();
        var line = NodeListing.FormatLong(node, path, ModelFixture.Zone);
        Assert.Equal([.. "Lrwxrwxrwx 123456     0      0 2021-03-01 05:30:00 /x/a"u8, 0xFF, (byte)'<', .. " -> b"u8, 0xFE], line);
        var json = Encoding.UTF8.GetString(NodeJsonLines.FormatNode(node, path, null));
        Assert.StartsWith("{\"name\":\"a\\ufffd\\u003c\",\"type\":\"symlink\",\"path\":\"/x/a\\ufffd\\u003c\",\"uid\":123456,\"gid\":0,\"mode\":134218239,\"permissions\":\"Lrwxrwxrwx\",", json, StringComparison.Ordinal);
    }

    private static IEnumerable<(Node Node, byte[] Path)> Walk(string dir, BlobId treeId, byte[] prefix)
    {
        var tree = Tree.Parse(File.ReadAllBytes(Path.Combine(dir, "trees", treeId + ".json")));
        foreach (var node in tree.Nodes)
        {
            var path = prefix.Concat(node.Name).ToArray();
            yield return (node, path);
            if (node.Type == NodeType.Dir && node.Subtree is { } subtree)
            {
                foreach (var child in Walk(dir, subtree, [.. path, (byte)'/']))
                {
                    yield return child;
                }
            }
        }
    }
}
