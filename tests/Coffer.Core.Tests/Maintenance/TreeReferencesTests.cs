using System.Text;
using Coffer.Core.Maintenance;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Testing;

namespace Coffer.Core.Tests.Maintenance;

/// <summary>The reference-only tree reader finds exactly what a full parse finds.</summary>
public sealed class TreeReferencesTests
{
    private static BlobId IdOf(string seed) => new(Id.Hash(Encoding.UTF8.GetBytes(seed)));

    [Fact]
    public void FindsSubtreesAndContentLikeAFullParse()
    {
        var file = new Node { NameText = "f", Type = NodeType.File, Mode = 0x1a4, Content = [IdOf("a"), IdOf("b"), IdOf("a")], Size = 3 };
        var empty = new Node { NameText = "g", Type = NodeType.File, Mode = 0x1a4, Content = [] };
        var dir = RepositoryBuilder.Dir("d", IdOf("tree"));
        var link = RepositoryBuilder.Symlink("l", "f");
        var json = new Tree([dir, file, empty, link]).Encode();

        var found = new List<BlobHandle>();
        TreeReferences.Collect(json, found);

        var expected = new List<BlobHandle>();
        foreach (var node in Tree.Parse(json).Nodes)
        {
            if (node.Type == NodeType.Dir)
            {
                expected.Add(new BlobHandle(node.Subtree!.Value, BlobType.Tree));
            }
            else
            {
                expected.AddRange((node.Content ?? []).Select(c => new BlobHandle(c, BlobType.Data)));
            }
        }
        Assert.Equal(expected, found);
        Assert.Equal(4, found.Count);
    }

    [Theory]
    [InlineData("{\"nodes\":[{\"type\":\"dir\",\"subtree\":\"zz\"}]}")]
    [InlineData("{\"nodes\":[{\"type\":\"file\",\"content\":[\"12\"]}]}")]
    [InlineData("{\"nodes\":[")]
    [InlineData("[]")]
    public void MalformedTreesAreRefused(string json) =>
        Assert.Throws<InvalidDataException>(() => TreeReferences.Collect(Encoding.UTF8.GetBytes(json), []));

    [Fact]
    public void NullNodesAndUnknownFieldsAreFine()
    {
        var found = new List<BlobHandle>();
        TreeReferences.Collect("{\"extra\":{\"a\":[1,2]},\"nodes\":null}"u8, found);
        Assert.Empty(found);
    }
}
