using Coffer.Core.Maintenance;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Core.Retention;
using Coffer.Storage;
using Coffer.Testing;

namespace Coffer.Core.Tests.Maintenance;

/// <summary>Forget plans and tag rewrites on an in-memory repository.</summary>
public sealed class ForgetAndTagTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(RepositoryBuilder Builder, List<SnapshotId> Ids)> RepositoryAsync(params (string Time, string Host, string[] Tags)[] snapshots)
    {
        var builder = await RepositoryBuilder.CreateAsync(new InMemoryBackend());
        var root = await builder.TreeAsync();
        await builder.FlushAsync();
        var ids = new List<SnapshotId>();
        foreach (var (time, host, tags) in snapshots)
        {
            var s = new Snapshot { Time = GoTime.Parse(time), Tree = root, Paths = ["/data"], Hostname = host, Tags = tags };
            ids.Add(new SnapshotId(await builder.Repository.SaveUnpackedAsync(FileType.Snapshot, s.Encode(), Ct)));
        }
        return (builder, ids);
    }

    [Fact]
    public async Task PolicyIsAppliedPerGroup()
    {
        var (b, ids) = await RepositoryAsync(("2022-01-01T00:00:00Z", "a", []), ("2022-01-02T00:00:00Z", "a", []), ("2022-01-03T00:00:00Z", "b", []));
        await using var _ = b;
        var plan = await ForgetPlanner.PlanAsync(b.Repository, new ForgetRequest { Policy = new RetentionPolicy { Last = 1 } }, Ct);
        Assert.Equal(2, plan.Groups.Count);
        Assert.Equal([ids[0]], plan.RemoveIds);
        Assert.Equal("host [a], paths [/data]", plan.Groups[0].Key.Describe());
    }

    [Fact]
    public async Task AGroupThePolicyWouldEmptyIsRefusedUnlessAllowed()
    {
        var (b, ids) = await RepositoryAsync(("2022-01-01T00:00:00Z", "a", ["keep"]), ("2022-01-02T00:00:00Z", "b", []), ("2022-01-03T00:00:00Z", "b", []));
        await using var _ = b;
        var request = new ForgetRequest { Policy = new RetentionPolicy { KeepTags = [["keep"]] } };
        var e = await Assert.ThrowsAsync<CofferException>(() => ForgetPlanner.PlanAsync(b.Repository, request, Ct));
        Assert.Contains("host [b]", e.Message, StringComparison.Ordinal);
        Assert.Contains("--force", e.Hint, StringComparison.Ordinal);
        Assert.Equal(3, (await b.Repository.ListIdsAsync(FileType.Snapshot, Ct)).Count);
        var plan = await ForgetPlanner.PlanAsync(b.Repository, request with { AllowEmptyGroups = true }, Ct);
        Assert.Equal(new[] { ids[1], ids[2] }.OrderBy(i => i.ToString(), StringComparer.Ordinal), plan.RemoveIds);
        Assert.Equal(2, await SnapshotRemover.RemoveAsync(b.Repository, plan.RemoveIds.ToList(), null, Ct));
        Assert.Equal([ids[0].Value], await b.Repository.ListIdsAsync(FileType.Snapshot, Ct));
    }

    [Fact]
    public async Task ExplicitIdsAreRemovedWithoutPolicyAndEmptyPolicyRemovesNothing()
    {
        var (b, ids) = await RepositoryAsync(("2022-01-01T00:00:00Z", "a", []), ("2022-01-02T00:00:00Z", "a", []));
        await using var _ = b;
        var plan = await ForgetPlanner.PlanAsync(b.Repository, new ForgetRequest { SnapshotReferences = [ids[1].ToShortString()] }, Ct);
        Assert.True(plan.IsExplicit);
        Assert.Equal([ids[1]], plan.RemoveIds);
        var empty = await ForgetPlanner.PlanAsync(b.Repository, new ForgetRequest(), Ct);
        Assert.Empty(empty.RemoveIds);
        Assert.Empty(empty.Groups);
    }

    [Fact]
    public void TagChangesFollowResticsOrder()
    {
        Assert.Equal(["a", "d", "c"], new TagChange { Remove = ["b"] }.Apply(["a", "b", "c", "d"]));
        Assert.Equal(["a", "b", "c"], new TagChange { Add = ["b", "c", "c"] }.Apply(["a", "b"]));
        Assert.Null(new TagChange { Add = ["a"], Remove = ["x"] }.Apply(["a"]));
        Assert.Equal(["x"], new TagChange { Set = ["x"] }.Apply(["x"]));
        Assert.Equal([], new TagChange { Set = [] }.Apply(["x"]));
    }

    [Fact]
    public async Task RetagWritesANewSnapshotWithOriginalAndDeletesTheOld()
    {
        var (b, ids) = await RepositoryAsync(("2022-01-01T00:00:00.123456789+02:00", "a", ["x"]), ("2022-01-02T00:00:00Z", "a", ["y"]));
        await using var _ = b;
        var snapshots = await b.Repository.LoadSnapshotsAsync(Ct);
        var changed = await SnapshotTagger.RetagAsync(b.Repository, snapshots, new TagChange { Add = ["y"] }, Ct);
        var (oldId, newId) = Assert.Single(changed);
        Assert.Equal(ids[0], oldId);
        var rewritten = await b.Repository.LoadSnapshotAsync(newId, Ct);
        Assert.Equal(["x", "y"], rewritten.Tags);
        Assert.Equal(ids[0], rewritten.Original);
        Assert.Equal("2022-01-01T00:00:00.123456789+02:00", rewritten.Time.ToString());
        var names = await b.Repository.ListIdsAsync(FileType.Snapshot, Ct);
        Assert.DoesNotContain(ids[0].Value, names);
        Assert.Contains(ids[1].Value, names);

        // A second change keeps the first original.
        var again = await SnapshotTagger.RetagAsync(b.Repository, [rewritten], new TagChange { Set = ["z"] }, Ct);
        var third = await b.Repository.LoadSnapshotAsync(again[0].New, Ct);
        Assert.Equal(ids[0], third.Original);
        Assert.Equal(["z"], third.Tags);
    }

    [Fact]
    public async Task RetagInterruptedBeforeTheDeleteLeavesBothVersions()
    {
        var backend = new FaultyBackend(new InMemoryBackend());
        var b = await RepositoryBuilder.CreateAsync(backend);
        await using var _ = b;
        var root = await b.TreeAsync();
        await b.FlushAsync();
        var s = new Snapshot { Time = GoTime.Parse("2022-01-01T00:00:00Z"), Tree = root, Paths = ["/data"], Hostname = "h" };
        var id = new SnapshotId(await b.Repository.SaveUnpackedAsync(FileType.Snapshot, s.Encode(), Ct));
        var loaded = await b.Repository.LoadSnapshotsAsync(Ct);
        backend.TransientOperations = FaultOperations.Delete;
        backend.TransientFailures = 1;
        await Assert.ThrowsAnyAsync<BackendException>(() => SnapshotTagger.RetagAsync(b.Repository, loaded, new TagChange { Add = ["t"] }, Ct));
        var names = await b.Repository.ListIdsAsync(FileType.Snapshot, Ct);
        Assert.Contains(id.Value, names);
        Assert.Equal(2, names.Count);
    }
}
