using Coffer.Testing;
using Xunit;

namespace Coffer.Storage.Tests;

public sealed class ConcurrencyLimitBackendTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Never_runs_more_operations_than_the_limit()
    {
        var gated = new GatedBackend(new InMemoryBackend());
        await using var limited = new ConcurrencyLimitBackend(gated, 3);
        var files = Enumerable.Range(0, 12).Select(i => TestFiles.New(FileType.Pack, 10 + i)).ToArray();

        var saves = files.Select(f => Task.Run(() => limited.SaveAsync(f.Handle, f.Data, Token), Token)).ToArray();
        await WaitUntilAsync(() => gated.Running == 3);
        // Give the other nine a chance to (wrongly) get through.
        await Task.Delay(100, Token);
        Assert.Equal(3, gated.Running);

        gated.Open();
        await Task.WhenAll(saves);

        Assert.Equal(3, gated.MaxRunning);
        Assert.Equal(0, gated.Running);
        foreach (var (handle, data) in files)
        {
            Assert.Equal(data, await limited.ReadAllAsync(handle, Token));
        }
    }

    [Fact]
    public async Task A_caller_may_use_the_backend_while_walking_a_listing()
    {
        var store = new InMemoryBackend();
        for (var i = 0; i < 5; i++)
        {
            var (handle, data) = TestFiles.New(FileType.Snapshot, 10);
            await store.SaveAsync(handle, data, Token);
        }
        await using var limited = new ConcurrencyLimitBackend(store, 1);

        var read = 0;
        await foreach (var entry in limited.ListAsync(FileType.Snapshot, Token))
        {
            // With a slot held for the whole listing, this would wait forever.
            read += (await limited.ReadAllAsync(new FileHandle(FileType.Snapshot, entry.Name), Token)).Length;
        }

        Assert.Equal(50, read);
    }

    [Fact]
    public async Task Waiting_for_a_slot_honours_cancellation()
    {
        var gated = new GatedBackend(new InMemoryBackend());
        await using var limited = new ConcurrencyLimitBackend(gated, 1);
        var (first, firstData) = TestFiles.New(FileType.Lock, 1);
        var (second, secondData) = TestFiles.New(FileType.Lock, 2);
        var running = Task.Run(() => limited.SaveAsync(first, firstData, Token), Token);
        await WaitUntilAsync(() => gated.Running == 1);

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var waiting = limited.SaveAsync(second, secondData, cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        gated.Open();
        await running;
        Assert.Equal(1, gated.MaxRunning);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, Token);
        }
        Assert.True(condition());
    }

    /// <summary>Holds every save until <see cref="Open"/> and counts how many are held at once.</summary>
    private sealed class GatedBackend(IBackend inner) : IBackend
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _running;
        private int _maxRunning;

        public int Running => Volatile.Read(ref _running);

        public int MaxRunning => Volatile.Read(ref _maxRunning);

        public string Location => inner.Location;

        public void Open() => _gate.TrySetResult();

        public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _running);
            InterlockedMax(ref _maxRunning, now);
            try
            {
                await _gate.Task.WaitAsync(cancellationToken);
                await inner.SaveAsync(handle, data, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        public Task CreateAsync(CancellationToken cancellationToken) => inner.CreateAsync(cancellationToken);

        public Task ReadAtAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken) =>
            inner.ReadAtAsync(handle, offset, destination, cancellationToken);

        public Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken) => inner.GetSizeAsync(handle, cancellationToken);

        public Task<bool> ExistsAsync(FileHandle handle, CancellationToken cancellationToken) => inner.ExistsAsync(handle, cancellationToken);

        public IAsyncEnumerable<FileEntry> ListAsync(FileType type, CancellationToken cancellationToken) => inner.ListAsync(type, cancellationToken);

        public Task DeleteAsync(FileHandle handle, CancellationToken cancellationToken) => inner.DeleteAsync(handle, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }
}
