using System.Runtime.CompilerServices;

namespace Coffer.Storage;

/// <summary>
/// Lets at most a fixed number of operations run on the inner backend at once; further callers wait
/// for a free slot (not necessarily in order of arrival). Meant for remote backends, where too many parallel requests
/// slow everything down or get throttled. A listing holds a slot only while it fetches the next entry, so
/// a caller may use the backend while it walks a listing without deadlocking.
/// Owns the inner backend (disposes it). Thread-safe.
/// </summary>
public sealed class ConcurrencyLimitBackend : IBackend
{
    private readonly IBackend _inner;
    private readonly SemaphoreSlim _slots;

    /// <summary>Wraps <paramref name="inner"/>, allowing <paramref name="maxConcurrency"/> operations at a time (at least 1).</summary>
    public ConcurrencyLimitBackend(IBackend inner, int maxConcurrency)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _inner = inner;
        _slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
        MaxConcurrency = maxConcurrency;
    }

    /// <summary>The most operations that run on the inner backend at the same time.</summary>
    public int MaxConcurrency { get; }

    /// <inheritdoc />
    public string Location => _inner.Location;

    /// <inheritdoc/>
    public bool ListsConsistently => _inner.ListsConsistently;

    /// <inheritdoc />
    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _inner.CreateAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <inheritdoc />
    public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _inner.SaveAsync(handle, data, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <inheritdoc />
    public async Task ReadAtAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _inner.ReadAtAsync(handle, offset, destination, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <inheritdoc />
    public async Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _inner.GetSizeAsync(handle, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _inner.ExistsAsync(handle, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<FileEntry> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var enumerator = _inner.ListAsync(type, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                finally
                {
                    _slots.Release();
                }
                if (!more)
                {
                    yield break;
                }
                yield return enumerator.Current;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _inner.DeleteAsync(handle, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Disposes the inner backend and the semaphore. Call it only once no operation is running.</summary>
    public async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        _slots.Dispose();
    }
}
