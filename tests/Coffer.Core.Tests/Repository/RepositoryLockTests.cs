using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Storage;
using Coffer.Testing;

namespace Coffer.Core.Tests.Repository;

public sealed class RepositoryLockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Id> WriteForeignLockAsync(Core.Repository.Repository repo, bool exclusive)
    {
        var other = new LockFile(GoTime.Now(TimeProvider.System), exclusive, "another-host", "someone", 4242, 1000, 1000);
        return await repo.SaveUnpackedAsync(FileType.Lock, other.Encode(), Ct);
    }

    [Fact]
    public async Task DeferredCheckReturnsWithTheFileWrittenAndConfirmsLater()
    {
        await using var builder = await RepositoryBuilder.CreateAsync(new InMemoryBackend());
        var repo = builder.Repository;
        var held = await RepositoryLock.AcquireAsync(repo, exclusive: false, deferCheck: true, Ct);
        Assert.Single(await repo.ListIdsAsync(FileType.Lock, Ct));
        await held.ConfirmAsync();
        await held.DisposeAsync();
        Assert.Empty(await repo.ListIdsAsync(FileType.Lock, Ct));
    }

    [Fact]
    public async Task ExclusiveLockAppearingDuringTheDeferredCheckFailsTheConfirmationAndRemovesTheFile()
    {
        await using var builder = await RepositoryBuilder.CreateAsync(new InMemoryBackend());
        var repo = builder.Repository;
        var held = await RepositoryLock.AcquireAsync(repo, exclusive: false, deferCheck: true, Ct);
        var foreign = await WriteForeignLockAsync(repo, exclusive: true);
        await Assert.ThrowsAsync<RepositoryLockedException>(held.ConfirmAsync);
        Assert.Equal([foreign], await repo.ListIdsAsync(FileType.Lock, Ct));
        await held.DisposeAsync();
        Assert.Equal([foreign], await repo.ListIdsAsync(FileType.Lock, Ct));
    }

    [Fact]
    public async Task SharedLocksCoexistAndAnExclusiveOneIsRefusedAtOnce()
    {
        await using var builder = await RepositoryBuilder.CreateAsync(new InMemoryBackend());
        var repo = builder.Repository;
        await WriteForeignLockAsync(repo, exclusive: false);
        await using (var shared = await RepositoryLock.AcquireAsync(repo, exclusive: false, Ct))
        {
            Assert.Equal(2, (await repo.ListIdsAsync(FileType.Lock, Ct)).Count);
        }
        await Assert.ThrowsAsync<RepositoryLockedException>(() => RepositoryLock.AcquireAsync(repo, exclusive: true, deferCheck: true, Ct));
        Assert.Single(await repo.ListIdsAsync(FileType.Lock, Ct));
    }

    [Fact]
    public async Task WhereListingsAreConsistentTheSecondLookRunsWithoutTheSettleDelay()
    {
        // A clock whose timers never fire: a confirmation that waited for the settle delay would never complete.
        var backend = new InMemoryBackend { ListsConsistently = true };
        await using (await RepositoryBuilder.CreateAsync(backend))
        {
        }
        var repo = await Core.Repository.Repository.OpenAsync(backend, "pw"u8.ToArray(), Ct, clock: new FrozenClock());
        var held = await RepositoryLock.AcquireAsync(repo, exclusive: false, deferCheck: true, Ct);
        await held.ConfirmAsync().WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await held.DisposeAsync();
        Assert.Empty(await repo.ListIdsAsync(FileType.Lock, Ct));
    }

    [Fact]
    public async Task WhereListingsMayLagTheSecondLookWaitsForTheSettleDelay()
    {
        var backend = new InMemoryBackend();
        await using (await RepositoryBuilder.CreateAsync(backend))
        {
        }
        var repo = await Core.Repository.Repository.OpenAsync(backend, "pw"u8.ToArray(), Ct, clock: new FrozenClock());
        var held = await RepositoryLock.AcquireAsync(repo, exclusive: false, deferCheck: true, Ct);
        await Task.Delay(TimeSpan.FromMilliseconds(500), Ct);
        Assert.False(held.ConfirmAsync().IsCompleted);
    }

    /// <summary>A clock at the real time whose timers never fire.</summary>
    private sealed class FrozenClock : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NeverTimer();

        private sealed class NeverTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
