using System.Security.Cryptography;
using System.Text;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Xunit;

namespace Coffer.Core.Tests.Model;

public sealed class TreeFixtureTests
{
    public static TheoryData<string> TreeFiles => new(ModelFixture.TreeFiles);

    [Theory]
    [MemberData(nameof(TreeFiles))]
    public void Reencoding_a_restic_tree_gives_the_same_bytes(string file)
    {
        var bytes = File.ReadAllBytes(file);
        Assert.Equal(Path.GetFileNameWithoutExtension(file), Convert.ToHexStringLower(SHA256.HashData(bytes)));

        var tree = Tree.Parse(bytes);

        Assert.True(tree.IsSorted);
        Assert.Equal(Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetString(tree.Encode()));
        Assert.Equal(bytes, tree.Encode());
    }

    [Fact]
    public void The_fixture_has_trees_of_both_repositories()
    {
        var files = ModelFixture.TreeFiles.ToList();
        Assert.Contains(files, f => f.Contains("expected-nocompress", StringComparison.Ordinal));
        Assert.True(files.Count >= 12, $"only {files.Count} tree files");
    }

    [Fact]
    public void Parsed_nodes_carry_every_field_kind_of_the_fixture()
    {
        var tree = LoadSourceTree();

        var quote = tree.Find(Encoding.UTF8.GetBytes("weird \"quote\" back\\slash\ttab.txt"));
        Assert.NotNull(quote);
        Assert.Equal(37ul, quote.Size);

        var empty = tree.Find("empty.txt")!;
        Assert.NotNull(empty.Content);
        Assert.Empty(empty.Content);
        Assert.Equal(0ul, empty.Size);

        var dir = tree.Find("empty-dir")!;
        Assert.Equal(NodeType.Dir, dir.Type);
        Assert.Null(dir.Content);
        Assert.NotNull(dir.Subtree);

        var link = tree.Find("dangling-link")!;
        Assert.Equal(NodeType.Symlink, link.Type);
        Assert.Equal("../does/not/exist"u8.ToArray(), link.LinkTarget);

        Assert.Equal(259ul, tree.Find("chardev")!.Device);
        Assert.Equal(NodeType.CharDev, tree.Find("chardev")!.Type);
        Assert.Equal(1792ul, tree.Find("blockdev")!.Device);
        Assert.Equal(NodeType.Fifo, tree.Find("fifo")!.Type);

        var xattr = Assert.Single(tree.Find("xattr.txt")!.ExtendedAttributes);
        Assert.Equal("user.comment", xattr.Name);
        Assert.Equal("hello xattr"u8.ToArray(), xattr.Value);

        var big = tree.Find("big.dna")!;
        Assert.Equal(4, big.Content!.Count);
        Assert.Equal(new GoTime(big.ModTime.UnixSeconds, big.ModTime.Nanoseconds, 19800), big.ModTime);

        Assert.Equal("grüße-日本語.txt", tree.Find("grüße-日本語.txt")!.NameText);
        Assert.Null(tree.Find("missing"));
        Assert.Null(tree.Find("a"));
        Assert.Null(tree.Find("zzz"));
    }

    [Fact]
    public void Find_locates_every_node_by_its_raw_name()
    {
        foreach (var file in ModelFixture.TreeFiles)
        {
            var tree = Tree.Parse(File.ReadAllBytes(file));
            foreach (var node in tree.Nodes)
            {
                Assert.Same(node, tree.Find(node.Name));
            }
        }
    }

    internal static Tree LoadSourceTree()
    {
        // The /src directory of the first snapshot: the tree that has a node named "chardev".
        return ModelFixture.TreeFiles
            .Select(f => Tree.Parse(File.ReadAllBytes(f)))
            .First(t => t.Find("chardev") is not null);
    }
}
