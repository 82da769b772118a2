using System.Runtime.CompilerServices;
using Coffer.Storage;

namespace Coffer.Testing;

/// <summary>
/// Wraps a backend and injects faults configured on this instance: fail the Nth save, fail saves once a
/// byte budget is spent (as a full disk would), throw transient errors a number of times, and corrupt
/// read results by flipping a byte. Failed saves store nothing. Counts the calls it sees, so tests can
/// check how often a decorator above it retried. Thread-safe; configure it before or between uses.
/// Owns the inner backend (disposes it).
/// </summary>
public sealed class FaultyBackend : IBackend
{
    private readonly Lock _gate = new();
    private int _transientFailures;
    private int _saveCalls;
    private int _readCalls;
    private int _statCalls;
    private int _listCalls;
    private int _deleteCalls;
    private int _createCalls;
    private long _bytesSaved;

    /// <summary>Wraps <paramref name="inner"/> with no faults configured.</summary>
    public FaultyBackend(IBackend inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
    }

    /// <summary>The wrapped backend.</summary>
    public IBackend Inner { get; }

    /// <inheritdoc />
    public string Location => Inner.Location;

    /// <summary>The 1-based number of the SaveAsync call that fails with a permanent error; null for none.</summary>
    public int? FailSaveNumber { get; set; }

    /// <summary>
    /// Bytes that saves may store in total; a save that would go past it fails permanently with
    /// "no space left on device" and stores nothing. Null for no limit.
    /// </summary>
    public long? SaveByteLimit { get; set; }

    /// <summary>How many more matching calls throw a transient <see cref="BackendException"/> before reaching the inner backend.</summary>
    public int TransientFailures
    {
        get => Volatile.Read(ref _transientFailures);
        set => Volatile.Write(ref _transientFailures, value);
    }

    /// <summary>The operations <see cref="TransientFailures"/> applies to (default all).</summary>
    public FaultOperations TransientOperations { get; set; } = FaultOperations.All;

    /// <summary>When set, reads of files it selects return data with one byte flipped (the middle byte of the range).</summary>
    public Func<FileHandle, bool>? CorruptReads { get; set; }

    /// <summary>SaveAsync calls so far, failed ones included.</summary>
    public int SaveCalls => Volatile.Read(ref _saveCalls);

    /// <summary>ReadAtAsync calls so far.</summary>
    public int ReadCalls => Volatile.Read(ref _readCalls);

    /// <summary>GetSizeAsync and ExistsAsync calls so far.</summary>
    public int StatCalls => Volatile.Read(ref _statCalls);

    /// <summary>ListAsync enumerations started so far.</summary>
    public int ListCalls => Volatile.Read(ref _listCalls);

    /// <summary>DeleteAsync calls so far.</summary>
    public int DeleteCalls => Volatile.Read(ref _deleteCalls);

    /// <summary>CreateAsync calls so far.</summary>
    public int CreateCalls => Volatile.Read(ref _createCalls);

    /// <summary>Bytes accepted by successful-looking saves (counted against <see cref="SaveByteLimit"/>).</summary>
    public long BytesSaved => Interlocked.Read(ref _bytesSaved);

    /// <inheritdoc />
    public Task CreateAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _createCalls);
        return MaybeTransient(FaultOperations.Create, "create") ?? Inner.CreateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _saveCalls);
        if (MaybeTransient(FaultOperations.Save, $"save {handle}") is { } transient)
        {
            return transient;
        }
        if (number == FailSaveNumber)
        {
            return Task.FromException(new BackendException($"injected fault: save number {number} ({handle}) fails"));
        }
        lock (_gate)
        {
            if (SaveByteLimit is { } limit && _bytesSaved + data.Length > limit)
            {
                return Task.FromException(new BackendException($"save {handle}: no space left on device (injected fault)"));
            }
            _bytesSaved += data.Length;
        }
        return Inner.SaveAsync(handle, data, cancellationToken);
    }

    /// <inheritdoc />
    public async Task ReadAtAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _readCalls);
        if (MaybeTransient(FaultOperations.Read, $"read {handle}") is { } transient)
        {
            await transient.ConfigureAwait(false);
        }
        await Inner.ReadAtAsync(handle, offset, destination, cancellationToken).ConfigureAwait(false);
        if (destination.Length > 0 && CorruptReads is { } select && select(handle))
        {
            destination.Span[destination.Length / 2] ^= 0xFF;
        }
    }

    /// <inheritdoc />
    public async Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _statCalls);
        if (MaybeTransient(FaultOperations.Stat, $"stat {handle}") is { } transient)
        {
            await transient.ConfigureAwait(false);
        }
        return await Inner.GetSizeAsync(handle, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _statCalls);
        if (MaybeTransient(FaultOperations.Stat, $"stat {handle}") is { } transient)
        {
            await transient.ConfigureAwait(false);
        }
        return await Inner.ExistsAsync(handle, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<FileEntry> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _listCalls);
        if (MaybeTransient(FaultOperations.List, $"list {FileTypes.Folder(type)}") is { } transient)
        {
            await transient.ConfigureAwait(false);
        }
        await foreach (var entry in Inner.ListAsync(type, cancellationToken).ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _deleteCalls);
        return MaybeTransient(FaultOperations.Delete, $"delete {handle}") ?? Inner.DeleteAsync(handle, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Inner.DisposeAsync();

    /// <summary>A faulted task if a transient failure is due for <paramref name="operation"/>, else null.</summary>
    private Task? MaybeTransient(FaultOperations operation, string action)
    {
        if ((TransientOperations & operation) == 0)
        {
            return null;
        }
        while (true)
        {
            var remaining = Volatile.Read(ref _transientFailures);
            if (remaining <= 0)
            {
                return null;
            }
            if (Interlocked.CompareExchange(ref _transientFailures, remaining - 1, remaining) == remaining)
            {
                return Task.FromException(new BackendException($"{action}: injected transient fault", isTransient: true));
            }
        }
    }
}
