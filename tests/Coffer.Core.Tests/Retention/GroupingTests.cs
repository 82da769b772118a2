using Coffer.Core.Primitives;
using Coffer.Core.Retention;

namespace Coffer.Core.Tests.Retention;

/// <summary>restic's --group-by.</summary>
public sealed class GroupingTests
{
    [Fact]
    public void DefaultGroupsByHostAndSortedPaths()
    {
        var groups = SnapshotGroup.Build(
        [
            Snapshots.Make("2022-01-01T00:00:00Z", host: "b", paths: ["/y", "/x"]),
            Snapshots.Make("2022-01-02T00:00:00Z", host: "a", paths: ["/x"]),
            Snapshots.Make("2022-01-03T00:00:00Z", host: "b", paths: ["/x", "/y"], tags: ["t"]),
        ], GroupBy.Default);
        Assert.Equal(2, groups.Count);
        Assert.Equal("host [a], paths [/x]", groups[0].Key.Describe());
        Assert.Equal("host [b], paths [/x, /y]", groups[1].Key.Describe());
        Assert.Equal(2, groups[1].Snapshots.Count);
        Assert.Null(groups[1].Key.Tags);
    }

    [Fact]
    public void TagsGroupIgnoresTagOrderAndUntaggedHaveNoTags()
    {
        var groups = SnapshotGroup.Build(
        [
            Snapshots.Make("2022-01-01T00:00:00Z", tags: ["b", "a"]),
            Snapshots.Make("2022-01-02T00:00:00Z", tags: ["a", "b"]),
            Snapshots.Make("2022-01-03T00:00:00Z", host: "other"),
        ], GroupBy.Parse("tags"));
        Assert.Equal(2, groups.Count);
        Assert.Contains(groups, g => g.Key.Tags is null && g.Snapshots.Count == 1 && g.Key.Hostname == "" && g.Key.Paths is null);
        Assert.Contains(groups, g => g.Key.Tags is ["a", "b"] && g.Snapshots.Count == 2);
    }

    [Fact]
    public void EmptyGroupByIsOneGroup()
    {
        var groups = SnapshotGroup.Build([Snapshots.Make("2022-01-01T00:00:00Z", host: "x"), Snapshots.Make("2022-01-02T00:00:00Z", host: "y")], GroupBy.Parse(""));
        Assert.Single(groups);
        Assert.Equal("", groups[0].Key.Describe());
    }

    [Fact]
    public void UnknownFieldIsRejected()
    {
        var e = Assert.Throws<CofferException>(() => GroupBy.Parse("host,user"));
        Assert.Contains("unknown grouping option: 'user'", e.Message, StringComparison.Ordinal);
    }
}
