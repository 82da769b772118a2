using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Coffer.Storage;

/// <summary>
/// Retries operations of an inner backend that fail with a transient <see cref="BackendException"/>
/// (<see cref="BackendException.IsTransient"/>), waiting with exponential backoff and jitter between
/// attempts. Missing files, permanent errors and cancellation are passed on at once. A save is retried
/// whole, which is safe because saving identical bytes again is a no-op. A listing that fails part-way
/// is started again and skips the names it already returned.
/// Owns the inner backend (disposes it). Thread-safe if the inner backend is.
/// </summary>
public sealed class RetryBackend : IBackend
{
    private readonly IBackend _inner;
    private readonly int _maxAttempts;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly TimeProvider _timeProvider;
    private readonly Action<BackendRetry>? _onRetry;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The backend whose transient failures are retried.</param>
    /// <param name="maxAttempts">Attempts per operation in total, including the first (at least 1).</param>
    /// <param name="baseDelay">The wait before the second attempt (default 500 ms); each later wait doubles.</param>
    /// <param name="maxDelay">The longest single wait (default 1 minute).</param>
    /// <param name="timeProvider">The clock for waits (default <see cref="TimeProvider.System"/>).</param>
    /// <param name="onRetry">Called before each wait, for logging or progress.</param>
    public RetryBackend(
        IBackend inner,
        int maxAttempts = 10,
        TimeSpan? baseDelay = null,
        TimeSpan? maxDelay = null,
        TimeProvider? timeProvider = null,
        Action<BackendRetry>? onRetry = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        _inner = inner;
        _maxAttempts = maxAttempts;
        _baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(500);
        _maxDelay = maxDelay ?? TimeSpan.FromMinutes(1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_baseDelay, TimeSpan.Zero, nameof(baseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(_maxDelay, _baseDelay, nameof(maxDelay));
        _timeProvider = timeProvider ?? TimeProvider.System;
        _onRetry = onRetry;
    }

    /// <inheritdoc />
    public string Location => _inner.Location;

    /// <inheritdoc/>
    public bool ListsConsistently => _inner.ListsConsistently;

    /// <inheritdoc />
    public Task CreateAsync(CancellationToken cancellationToken) =>
        RunAsync("create", null, ct => _inner.CreateAsync(ct), cancellationToken);

    /// <inheritdoc />
    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        RunAsync("save", handle, ct => _inner.SaveAsync(handle, data, ct), cancellationToken);

    /// <inheritdoc />
    public Task ReadAtAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken) =>
        RunAsync("read", handle, ct => _inner.ReadAtAsync(handle, offset, destination, ct), cancellationToken);

    /// <inheritdoc />
    public async Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        long size = 0;
        await RunAsync("stat", handle, async ct => size = await _inner.GetSizeAsync(handle, ct).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
        return size;
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        var exists = false;
        await RunAsync("stat", handle, async ct => exists = await _inner.ExistsAsync(handle, ct).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
        return exists;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<FileEntry> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var returned = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            var enumerator = _inner.ListAsync(type, cancellationToken).GetAsyncEnumerator(cancellationToken);
            BackendException? failure = null;
            try
            {
                while (true)
                {
                    FileEntry entry;
                    try
                    {
                        if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                        {
                            yield break;
                        }
                        entry = enumerator.Current;
                    }
                    catch (BackendException e) when (ShouldRetry(e, attempt, cancellationToken))
                    {
                        failure = e;
                        break;
                    }
                    if (returned.Add(entry.Name))
                    {
                        yield return entry;
                    }
                }
            }
            finally
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
            await WaitAsync("list", null, attempt, failure, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(FileHandle handle, CancellationToken cancellationToken) =>
        RunAsync("delete", handle, ct => _inner.DeleteAsync(handle, ct), cancellationToken);

    /// <summary>Disposes the inner backend.</summary>
    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1: base × 2^(attempt−1), capped, then scaled by a random factor in [0.5, 1).</summary>
    [SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Jitter spreads retries; it is not a secret.")]
    internal TimeSpan DelayAfter(int attempt)
    {
        var nominal = _baseDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(nominal, _maxDelay.Ticks);
        return TimeSpan.FromTicks((long)(capped * (0.5 + (Random.Shared.NextDouble() * 0.5))));
    }

    private async Task RunAsync(string operation, FileHandle? handle, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await call(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (BackendException e) when (ShouldRetry(e, attempt, cancellationToken))
            {
                await WaitAsync(operation, handle, attempt, e, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private bool ShouldRetry(BackendException exception, int attempt, CancellationToken cancellationToken) =>
        exception.IsTransient
        && exception is not BackendNotFoundException
        && attempt < _maxAttempts
        && !cancellationToken.IsCancellationRequested;

    private async Task WaitAsync(string operation, FileHandle? handle, int attempt, BackendException? failure, CancellationToken cancellationToken)
    {
        var delay = DelayAfter(attempt);
        _onRetry?.Invoke(new BackendRetry(operation, handle, attempt, delay, failure!));
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
