using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Core.Repository;

/// <summary>
/// A held lock on a repository, in restic's lock format and with its rules: shared locks coexist, an
/// exclusive lock needs no other lock. The lock file is rewritten every
/// <see cref="LockFile.RefreshInterval"/>; if refreshing fails for so long that the lock could be taken
/// for stale, <see cref="Lost"/> is cancelled so the operation stops. Dispose to release.
/// </summary>
public sealed class RepositoryLock : IAsyncDisposable
{
    /// <summary>
    /// The wait between writing the lock file and the second look for conflicting locks (restic's), so that a
    /// lock another process wrote at the same moment shows in the listing. Skipped where listings are consistent
    /// (<see cref="IBackend.ListsConsistently"/>): there, the second look alone settles a race, as whichever of
    /// two processes looks last sees the other's file.
    /// </summary>
    private static readonly TimeSpan SettleDelay = TimeSpan.FromMilliseconds(200);

    private readonly Repository _repository;
    private readonly LockFile _template;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private Task? _refresher;
    private Task _confirmation = Task.CompletedTask;
    private string _name;

    private RepositoryLock(Repository repository, LockFile template, string name)
    {
        _repository = repository;
        _template = template;
        _name = name;
    }

    /// <summary>Cancelled when the lock could not be kept fresh; operations should link to it.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Name of the current lock file.</summary>
    public string Name => _name;

    /// <summary>
    /// Takes a lock. Throws <see cref="RepositoryLockedException"/> when a conflicting lock exists.
    /// Locks left by processes on this host that no longer exist never block.
    /// </summary>
    public static Task<RepositoryLock> AcquireAsync(Repository repository, bool exclusive, CancellationToken cancellationToken) =>
        AcquireAsync(repository, exclusive, deferCheck: false, cancellationToken);

    /// <summary>
    /// Takes a lock: looks for conflicting locks, writes the lock file, waits a moment and looks again (two
    /// processes locking at once then see each other). With <paramref name="deferCheck"/> it returns once the
    /// file is written and the second look runs meanwhile: the caller may read the repository, but must await
    /// <see cref="ConfirmAsync"/> before relying on what it read or changing anything. Throws
    /// <see cref="RepositoryLockedException"/> when a conflicting lock exists (from <see cref="ConfirmAsync"/> when
    /// found by the second look; the lock file is then removed).
    /// </summary>
    public static async Task<RepositoryLock> AcquireAsync(Repository repository, bool exclusive, bool deferCheck, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var (uid, gid) = CurrentIds();
        var template = new LockFile(GoTime.Now(repository.Clock), exclusive, Environment.MachineName, Environment.UserName, Environment.ProcessId, uid, gid);
        await ThrowOnConflictAsync(repository, exclusive, null, cancellationToken).ConfigureAwait(false);
        var id = await repository.SaveUnpackedAsync(FileType.Lock, template.Encode(), cancellationToken).ConfigureAwait(false);
        var held = new RepositoryLock(repository, template, id.ToString());
        held._confirmation = held.SettleAsync(exclusive, cancellationToken);
        if (!deferCheck)
        {
            await held._confirmation.ConfigureAwait(false);
        }
        return held;
    }

    /// <summary>
    /// Throws <see cref="RepositoryLockedException"/> when a lock that conflicts with a new shared (or, with
    /// <paramref name="exclusive"/>, exclusive) one exists: the first look <see cref="AcquireAsync(Repository, bool, bool, CancellationToken)"/> takes, for a caller
    /// that acquires in the background but wants a conflict known before it starts reading.
    /// </summary>
    public static Task ThrowOnConflictAsync(Repository repository, bool exclusive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return ThrowOnConflictAsync(repository, exclusive, null, cancellationToken);
    }

    /// <summary>Completes once the second look found no conflicting lock; throws <see cref="RepositoryLockedException"/> otherwise.</summary>
    public Task ConfirmAsync() => _confirmation;

    /// <summary>The second look for conflicting locks, after the settle delay; then keeps the lock fresh.</summary>
    private async Task SettleAsync(bool exclusive, CancellationToken cancellationToken)
    {
        try
        {
            if (!_repository.Backend.ListsConsistently)
            {
                await Task.Delay(SettleDelay, _repository.Clock, cancellationToken).ConfigureAwait(false);
            }
            await ThrowOnConflictAsync(_repository, exclusive, _name, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await DeleteFileAsync(_name).ConfigureAwait(false);
            throw;
        }
        _refresher = RefreshLoopAsync();
    }

    private static async Task ThrowOnConflictAsync(Repository repository, bool exclusive, string? own, CancellationToken cancellationToken)
    {
        var host = Environment.MachineName;
        foreach (var (name, other) in await ListAsync(repository, cancellationToken).ConfigureAwait(false))
        {
            if (name == own || other.IsOwnedByDeadLocalProcess(host))
            {
                continue;
            }
            if (exclusive || other.Exclusive)
            {
                throw new RepositoryLockedException(other.Describe(name));
            }
        }
    }

    /// <summary>All readable lock files with their names; unreadable ones are skipped (as restic does).</summary>
    public static async Task<List<(string Name, LockFile Lock)>> ListAsync(Repository repository, CancellationToken cancellationToken)
    {
        var result = new List<(string, LockFile)>();
        foreach (var id in await repository.ListIdsAsync(FileType.Lock, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var json = await repository.LoadUnpackedAsync(FileType.Lock, id, cancellationToken).ConfigureAwait(false);
                result.Add((id.ToString(), LockFile.Parse(json)));
            }
            catch (Exception e) when (e is RepositoryCorruptException or InvalidDataException or BackendNotFoundException)
            {
                // A lock that vanished or cannot be read does not block.
            }
        }
        return result;
    }

    /// <summary>Removes stale locks (or all locks with <paramref name="all"/>); returns how many were removed.</summary>
    public static async Task<int> RemoveAsync(Repository repository, bool all, CancellationToken cancellationToken)
    {
        var removed = 0;
        var now = repository.Clock.GetUtcNow();
        var host = Environment.MachineName;
        if (all)
        {
            foreach (var id in await repository.ListIdsAsync(FileType.Lock, cancellationToken).ConfigureAwait(false))
            {
                await repository.Backend.DeleteAsync(new FileHandle(FileType.Lock, id.ToString()), cancellationToken).ConfigureAwait(false);
                removed++;
            }
            return removed;
        }
        foreach (var (name, l) in await ListAsync(repository, cancellationToken).ConfigureAwait(false))
        {
            if (l.IsStale(now, host))
            {
                await repository.Backend.DeleteAsync(new FileHandle(FileType.Lock, name), cancellationToken).ConfigureAwait(false);
                removed++;
            }
        }
        return removed;
    }

    private async Task RefreshLoopAsync()
    {
        var clock = _repository.Clock;
        var lastRefresh = clock.GetUtcNow();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(LockFile.RefreshInterval, clock, _stop.Token).ConfigureAwait(false);
                var fresh = _template with { Time = GoTime.Now(clock) };
                var id = await _repository.SaveUnpackedAsync(FileType.Lock, fresh.Encode(), _stop.Token).ConfigureAwait(false);
                var old = _name;
                _name = id.ToString();
                lastRefresh = clock.GetUtcNow();
                await DeleteFileAsync(old).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Keep trying; give up before another process may take the lock for stale.
                if (clock.GetUtcNow() - lastRefresh > LockFile.StaleAfter - LockFile.RefreshInterval)
                {
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
    }

    private async Task DeleteFileAsync(string name)
    {
        try
        {
            await _repository.Backend.DeleteAsync(new FileHandle(FileType.Lock, name), CancellationToken.None).ConfigureAwait(false);
        }
        catch (BackendException)
        {
            // A lock we cannot delete goes stale by itself.
        }
    }

    private static (uint Uid, uint Gid) CurrentIds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (0, 0);
        }
        try
        {
            uint uid = 0, gid = 0;
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    uid = uint.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("Gid:", StringComparison.Ordinal))
                {
                    gid = uint.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            return (uid, gid);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _confirmation.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Reported to whoever awaited ConfirmAsync; the file is gone already.
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_refresher is not null)
        {
            await _refresher.ConfigureAwait(false);
        }
        await DeleteFileAsync(_name).ConfigureAwait(false);
        _stop.Dispose();
        _lost.Dispose();
    }
}
