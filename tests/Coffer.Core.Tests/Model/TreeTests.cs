using System.Text;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Xunit;

namespace Coffer.Core.Tests.Model;

public sealed class TreeTests
{
    private static readonly BlobId SomeId = new(Id.Hash("x"u8));

    [Fact]
    public void Empty_tree_encodes_as_restic_does()
    {
        Assert.Equal("{\"nodes\":[]}\n", Encoding.UTF8.GetString(new Tree().Encode()));
    }

    [Fact]
    public void Names_are_quoted_in_json_and_unquoted_when_read()
    {
        var cases = new (byte[] Raw, string Json)[]
        {
            ([.. "bad"u8, 0xFF, 0xFE, .. "utf8.txt"u8], "\"bad\\\\xff\\\\xfeutf8.txt\""),
            ([.. "ctrl"u8, 0x01, 0x7F, .. ".txt"u8], "\"ctrl\\\\x01\\\\x7f.txt\""),
            (Encoding.UTF8.GetBytes("nbsp\u00A0and\u2028ls.txt"), "\"nbsp\\\\u00a0and\\\\u2028ls.txt\""),
            ("new\nline.txt"u8.ToArray(), "\"new\\\\nline.txt\""),
            ("a<b>&c.txt"u8.ToArray(), "\"a\\u003cb\\u003e\\u0026c.txt\""),
            ("weird \"quote\" back\\slash\ttab.txt"u8.ToArray(), "\"weird \\\\\\\"quote\\\\\\\" back\\\\\\\\slash\\\\ttab.txt\""),
            (Encoding.UTF8.GetBytes("emoji😀.txt"), "\"emoji😀.txt\""),
            (Encoding.UTF8.GetBytes("e\u0301"), "\"e\u0301\""),
        };
        foreach (var (raw, json) in cases)
        {
            var tree = new Tree([new Node { Name = raw, Type = NodeType.File, Content = [] }]);
            var text = Encoding.UTF8.GetString(tree.Encode());
            Assert.StartsWith("{\"nodes\":[{\"name\":" + json + ",\"type\":\"file\",", text, StringComparison.Ordinal);
            Assert.Equal(raw, Tree.Parse(tree.Encode()).Nodes[0].Name);
        }
    }

    [Fact]
    public void Node_fields_follow_restic_order_and_omission_rules()
    {
        var t = new GoTime(1_600_000_000, 5, 3600);
        var node = new Node
        {
            Name = "x"u8.ToArray(),
            Type = NodeType.Symlink,
            Mode = GoFileMode.Symlink | 0x1FF,
            ModTime = t,
            AccessTime = t,
            ChangeTime = t,
            Uid = 1000,
            Gid = 100,
            User = "u",
            Group = "g",
            Inode = ulong.MaxValue,
            DeviceId = 2,
            Size = 3,
            Links = 4,
            LinkTarget = [0x61, 0xFF],
            ExtendedAttributes = [new("user.a", [1, 2]), new("user.b", null), new("user.c", [])],
            GenericAttributes = new Dictionary<string, byte[]>
            {
                ["windows.z"] = " { \"a\" : [1, 2] } "u8.ToArray(),
                ["windows.a"] = "\"<x>\""u8.ToArray(),
            },
            Device = 5,
            Subtree = SomeId,
            Error = "oops",
        };
        var json = Encoding.UTF8.GetString(new Tree([node]).Encode());
        var expected =
            "{\"nodes\":[{\"name\":\"x\",\"type\":\"symlink\",\"mode\":134218239," +
            "\"mtime\":\"2020-09-13T13:26:40.000000005+01:00\",\"atime\":\"2020-09-13T13:26:40.000000005+01:00\",\"ctime\":\"2020-09-13T13:26:40.000000005+01:00\"," +
            "\"uid\":1000,\"gid\":100,\"user\":\"u\",\"group\":\"g\",\"inode\":18446744073709551615,\"device_id\":2,\"size\":3,\"links\":4," +
            "\"linktarget\":\"a\\ufffd\",\"linktarget_raw\":\"Yf8=\"," +
            "\"extended_attributes\":[{\"name\":\"user.a\",\"value\":\"AQI=\"},{\"name\":\"user.b\",\"value\":null},{\"name\":\"user.c\",\"value\":\"\"}]," +
            "\"generic_attributes\":{\"windows.a\":\"\\u003cx\\u003e\",\"windows.z\":{\"a\":[1,2]}}," +
            "\"device\":5,\"content\":null,\"subtree\":\"" + SomeId + "\",\"error\":\"oops\"}]}\n";
        Assert.Equal(expected, json);

        var back = Tree.Parse(Encoding.UTF8.GetBytes(json)).Nodes[0];
        Assert.Equal(new byte[] { 0x61, 0xFF }, back.LinkTarget);
        Assert.Null(back.ExtendedAttributes[1].Value);
        Assert.Equal(expected, Encoding.UTF8.GetString(new Tree([back]).Encode()));
    }

    [Fact]
    public void Zero_fields_are_omitted_and_times_default_to_go_zero_time()
    {
        var json = Encoding.UTF8.GetString(new Tree([new Node { Name = "f"u8.ToArray(), Type = NodeType.File, Content = [] }]).Encode());
        Assert.Equal(
            "{\"nodes\":[{\"name\":\"f\",\"type\":\"file\",\"mtime\":\"0001-01-01T00:00:00Z\",\"atime\":\"0001-01-01T00:00:00Z\",\"ctime\":\"0001-01-01T00:00:00Z\",\"uid\":0,\"gid\":0,\"content\":[]}]}\n",
            json);
    }

    [Fact]
    public void Reading_accepts_unknown_fields_nulls_and_case_differences()
    {
        var json = """
            { "nodes" : [ { "NAME":"b", "type":"whiteout", "future":{"x":[1,{"y":null}]}, "uid":null, "Mode":420,
              "linktarget":"ignored", "linktarget_raw":"AAE=", "content":null, "subtree":null } ], "extra": 1 }
            """u8;
        var node = Assert.Single(Tree.Parse(json).Nodes);
        Assert.Equal("b"u8.ToArray(), node.Name);
        Assert.Equal(NodeType.Unknown, node.Type);
        Assert.Equal("whiteout", node.UnknownTypeName);
        Assert.Equal(420u, node.Mode);
        Assert.Equal(new byte[] { 0, 1 }, node.LinkTarget);
        Assert.Null(node.Content);
        Assert.Null(node.Subtree);
        Assert.Contains("\"type\":\"whiteout\"", Encoding.UTF8.GetString(new Tree([node]).Encode()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"nodes\":{}}")]
    [InlineData("{\"nodes\":[1]}")]
    [InlineData("{\"nodes\":[{\"name\":\"a\\\\q\"}]}")]
    [InlineData("{\"nodes\":[{\"name\":\"a\",\"uid\":-1}]}")]
    [InlineData("{\"nodes\":[{\"name\":\"a\",\"size\":1.5}]}")]
    [InlineData("{\"nodes\":[{\"name\":\"a\",\"mtime\":\"yesterday\"}]}")]
    [InlineData("{\"nodes\":[{\"name\":\"a\",\"content\":[\"abc\"]}]}")]
    [InlineData("{\"nodes\":[]} {}")]
    [InlineData("{\"nodes\":[],}")]
    public void Bad_json_is_refused_with_InvalidDataException(string text)
    {
        var e = Assert.Throws<InvalidDataException>(() => Tree.Parse(Encoding.UTF8.GetBytes(text)));
        Assert.False(string.IsNullOrEmpty(e.Message));
    }

    [Fact]
    public void Unsorted_blobs_keep_their_order_and_find_still_works()
    {
        var json = "{\"nodes\":[{\"name\":\"b\",\"type\":\"file\"},{\"name\":\"a\",\"type\":\"file\"}]}\n"u8;
        var tree = Tree.Parse(json);
        Assert.False(tree.IsSorted);
        Assert.Equal("b", tree.Nodes[0].NameText);
        Assert.NotNull(tree.Find("a"));
        Assert.Throws<InvalidOperationException>(() => tree.Insert(new Node { Name = "c"u8.ToArray() }));
    }

    [Fact]
    public void Constructor_and_insert_sort_by_raw_bytes()
    {
        var tree = new Tree([new Node { NameText = "b" }, new Node { Name = [0xFF] }, new Node { NameText = "é" }]);
        tree.Insert(new Node { NameText = "a" });
        tree.Insert(new Node { NameText = "Z" });
        Assert.Equal(["Z", "a", "b", "é", "\uFFFD"], tree.Nodes.Select(n => n.NameText));
        Assert.Throws<ArgumentException>(() => tree.Insert(new Node { NameText = "a" }));
        Assert.Throws<ArgumentException>(() => new Tree([new Node { NameText = "a" }, new Node { NameText = "a" }]));
    }
}
