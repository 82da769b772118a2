using System.Runtime.CompilerServices;
using Coffer.Testing;
using Xunit;

namespace Coffer.Storage.Tests;

public sealed class RetryBackendTests
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static (RetryBackend Retry, FaultyBackend Faulty, InMemoryBackend Store, ImmediateTimeProvider Clock) Build(
        int maxAttempts = 5, Action<BackendRetry>? onRetry = null)
    {
        var store = new InMemoryBackend();
        var faulty = new FaultyBackend(store);
        var clock = new ImmediateTimeProvider();
        var retry = new RetryBackend(faulty, maxAttempts, BaseDelay, TimeSpan.FromSeconds(10), clock, onRetry);
        return (retry, faulty, store, clock);
    }

    [Fact]
    public async Task Transient_failures_are_retried_with_growing_waits_until_success()
    {
        var retries = new List<BackendRetry>();
        var (retry, faulty, store, clock) = Build(onRetry: retries.Add);
        var (handle, data) = TestFiles.New(FileType.Pack, 100);
        faulty.TransientFailures = 3;

        await retry.SaveAsync(handle, data, Token);

        Assert.Equal(4, faulty.SaveCalls);
        Assert.Equal(data, await store.ReadAllAsync(handle, Token));
        Assert.Equal(3, clock.RequestedDelays.Count);
        for (var i = 0; i < 3; i++)
        {
            var nominal = BaseDelay * Math.Pow(2, i);
            Assert.InRange(clock.RequestedDelays[i], nominal / 2, nominal);
        }
        Assert.Equal([1, 2, 3], retries.Select(r => r.Attempt));
        Assert.All(retries, r => Assert.Equal("save", r.Operation));
        Assert.All(retries, r => Assert.True(r.Error.IsTransient));
    }

    [Fact]
    public async Task Gives_up_after_the_configured_attempts()
    {
        var (retry, faulty, store, clock) = Build(maxAttempts: 4);
        var (handle, data) = TestFiles.New(FileType.Index, 10);
        faulty.TransientFailures = 100;

        var error = await Assert.ThrowsAsync<BackendException>(() => retry.SaveAsync(handle, data, Token));

        Assert.True(error.IsTransient);
        Assert.Equal(4, faulty.SaveCalls);
        Assert.Equal(3, clock.RequestedDelays.Count);
        Assert.False(await store.ExistsAsync(handle, Token));
    }

    [Fact]
    public async Task Missing_files_are_not_retried()
    {
        var (retry, faulty, _, clock) = Build();
        var (handle, _) = TestFiles.New(FileType.Pack, 10);

        await Assert.ThrowsAsync<BackendNotFoundException>(() => retry.ReadAtAsync(handle, 0, new byte[1], Token));
        await Assert.ThrowsAsync<BackendNotFoundException>(() => retry.GetSizeAsync(handle, Token));

        Assert.Equal(1, faulty.ReadCalls);
        Assert.Equal(1, faulty.StatCalls);
        Assert.Empty(clock.RequestedDelays);
    }

    [Fact]
    public async Task Permanent_errors_are_not_retried()
    {
        var (retry, faulty, _, clock) = Build();
        var (handle, data) = TestFiles.New(FileType.Pack, 10);
        faulty.FailSaveNumber = 1;

        var error = await Assert.ThrowsAsync<BackendException>(() => retry.SaveAsync(handle, data, Token));

        Assert.False(error.IsTransient);
        Assert.Equal(1, faulty.SaveCalls);
        Assert.Empty(clock.RequestedDelays);
    }

    [Fact]
    public async Task Every_operation_is_retried()
    {
        var (retry, faulty, store, _) = Build();
        var (handle, data) = TestFiles.New(FileType.Snapshot, 10);
        await store.SaveAsync(handle, data, Token);

        faulty.TransientFailures = 1;
        Assert.Equal(10, await retry.GetSizeAsync(handle, Token));
        faulty.TransientFailures = 1;
        Assert.True(await retry.ExistsAsync(handle, Token));
        faulty.TransientFailures = 1;
        Assert.Equal(data, await retry.ReadAllAsync(handle, Token));
        faulty.TransientFailures = 1;
        Assert.Single(await ListAsync(retry, FileType.Snapshot));
        faulty.TransientFailures = 1;
        await retry.DeleteAsync(handle, Token);
        faulty.TransientFailures = 1;
        await retry.CreateAsync(Token);

        Assert.Equal(2, faulty.ListCalls);
        Assert.Equal(2, faulty.DeleteCalls);
        Assert.Equal(2, faulty.CreateCalls);
        Assert.False(await store.ExistsAsync(handle, Token));
    }

    [Fact]
    public async Task Cancellation_stops_the_waiting()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var store = new InMemoryBackend();
        var faulty = new FaultyBackend(store) { TransientFailures = 100 };
        // The real clock and a long wait: only cancellation can end this quickly.
        var retry = new RetryBackend(faulty, 10, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10), TimeProvider.System, _ => cancellation.CancelAfter(50));
        var (handle, data) = TestFiles.New(FileType.Pack, 10);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => retry.SaveAsync(handle, data, cancellation.Token));

        Assert.Equal(1, faulty.SaveCalls);
    }

    [Fact]
    public async Task A_listing_that_fails_part_way_restarts_without_repeating_names()
    {
        var store = new InMemoryBackend();
        var names = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            var (handle, data) = TestFiles.New(FileType.Index, 10 + i);
            await store.SaveAsync(handle, data, Token);
            names.Add(handle.Name);
        }
        var flaky = new ListFailsOnceBackend(store, failAfter: 4);
        var retry = new RetryBackend(flaky, 3, TimeSpan.Zero, TimeSpan.Zero, new ImmediateTimeProvider());

        var listed = await ListAsync(retry, FileType.Index);

        Assert.Equal(2, flaky.Listings);
        Assert.Equal(10, listed.Count);
        Assert.Equal(names.Order(StringComparer.Ordinal), listed.Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Waits_double_up_to_the_cap()
    {
        var retry = new RetryBackend(new InMemoryBackend(), 50, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.InRange(retry.DelayAfter(1), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.InRange(retry.DelayAfter(3), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        Assert.InRange(retry.DelayAfter(40), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));
    }

    private static async Task<List<FileEntry>> ListAsync(IBackend backend, FileType type)
    {
        var entries = new List<FileEntry>();
        await foreach (var entry in backend.ListAsync(type, Token))
        {
            entries.Add(entry);
        }
        return entries;
    }

    /// <summary>Its first listing throws a transient error after a few entries; later listings are whole.</summary>
    private sealed class ListFailsOnceBackend(IBackend inner, int failAfter) : IBackend
    {
        private int _listings;

        public int Listings => _listings;

        public string Location => inner.Location;

        public Task CreateAsync(CancellationToken cancellationToken) => inner.CreateAsync(cancellationToken);

        public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
            inner.SaveAsync(handle, data, cancellationToken);

        public Task ReadAtAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken) =>
            inner.ReadAtAsync(handle, offset, destination, cancellationToken);

        public Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken) => inner.GetSizeAsync(handle, cancellationToken);

        public Task<bool> ExistsAsync(FileHandle handle, CancellationToken cancellationToken) => inner.ExistsAsync(handle, cancellationToken);

        public async IAsyncEnumerable<FileEntry> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var first = Interlocked.Increment(ref _listings) == 1;
            var count = 0;
            await foreach (var entry in inner.ListAsync(type, cancellationToken))
            {
                if (first && count++ == failAfter)
                {
                    throw new BackendException("connection reset", isTransient: true);
                }
                yield return entry;
            }
        }

        public Task DeleteAsync(FileHandle handle, CancellationToken cancellationToken) => inner.DeleteAsync(handle, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
