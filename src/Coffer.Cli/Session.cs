using Coffer.Core.Compression;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Storage;

namespace Coffer.Cli;

/// <summary>How a command locks the repository.</summary>
internal enum LockMode
{
    None,
    Shared,
    Exclusive,
}

/// <summary>An opened repository plus the lock a command holds on it; dispose to release.</summary>
internal sealed class Session : IAsyncDisposable
{
    private readonly Task<RepositoryLock>? _acquisition;

    private Session(Repository repository, Task<RepositoryLock>? acquisition)
    {
        Repository = repository;
        _acquisition = acquisition;
    }

    public Repository Repository { get; }

    /// <summary>The lock held; null without one, and while a deferred acquisition has not completed.</summary>
    public RepositoryLock? Lock => _acquisition is { IsCompletedSuccessfully: true } ? _acquisition.Result : null;

    /// <summary>Opens the main repository of <paramref name="settings"/> and locks it as <paramref name="mode"/> says (a shared lock not with <c>--no-lock</c>).</summary>
    public static Task<Session> OpenAsync(Settings settings, CliConsole console, LockMode mode, CancellationToken cancellationToken) =>
        OpenAsync(RepositoryAccess.Primary(settings), settings.Compression, settings.NoLock, console, mode, cancellationToken, settings.CacheDirectory);

    /// <summary>
    /// Like <see cref="OpenAsync(Settings, CliConsole, LockMode, CancellationToken)"/>, but after the first look for
    /// conflicting locks the lock is taken in the background (writing the lock file, the settle delay, the second
    /// look): the caller reads what it needs meanwhile and awaits <see cref="ConfirmLockAsync"/> before acting on it.
    /// </summary>
    public static Task<Session> OpenDeferringLockCheckAsync(Settings settings, CliConsole console, LockMode mode, CancellationToken cancellationToken) =>
        OpenAsync(RepositoryAccess.Primary(settings), settings.Compression, settings.NoLock, console, mode, cancellationToken, settings.CacheDirectory, deferLockCheck: true);

    /// <summary>Completes once the lock is taken and confirmed (at once without a lock or a deferred check).</summary>
    public async Task ConfirmLockAsync()
    {
        if (_acquisition is null)
        {
            return;
        }
        var held = await _acquisition.ConfigureAwait(false);
        try
        {
            await held.ConfirmAsync().ConfigureAwait(false);
        }
        catch (BackendException e)
        {
            throw new LockFailedException($"unable to check the lock in backend: {e.Message}", e);
        }
    }

    /// <summary>
    /// Opens the repository <paramref name="access"/> describes: checks that it exists, obtains the password (cleared
    /// once the key is opened), opens the key and config, sets the compression, and takes the lock <paramref name="mode"/>
    /// asks for (a shared one is skipped when <paramref name="noLock"/>). With <paramref name="cacheDirectory"/>, the index
    /// is cached there (<see cref="IndexCache"/>).
    /// </summary>
    public static async Task<Session> OpenAsync(RepositoryAccess access, string? compression, bool noLock, CliConsole console, LockMode mode, CancellationToken cancellationToken,
        string? cacheDirectory = null, bool deferLockCheck = false)
    {
        var location = access.ResolveLocation();
        var backend = RepositoryLocator.Open(location);
        if (!await backend.ExistsAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false))
        {
            throw new RepositoryNotFoundException(backend.Location);
        }
        var password = await access.ResolvePasswordAsync(console, cancellationToken).ConfigureAwait(false);
        Repository repository;
        try
        {
            repository = await Repository.OpenAsync(backend, password, cancellationToken, access.KeyHint).ConfigureAwait(false);
        }
        finally
        {
            Array.Clear(password);
        }
        repository.Compression = ParseCompression(compression);
        repository.IndexCache = cacheDirectory is null ? null : new IndexCache(cacheDirectory);
        Task<RepositoryLock>? acquisition = null;
        if (mode != LockMode.None && !(noLock && mode == LockMode.Shared))
        {
            var exclusive = mode == LockMode.Exclusive;
            if (deferLockCheck)
            {
                // A lock held already is reported before anything is read (prune may be deleting files); writing
                // the lock file and the second look then run in the background.
                try
                {
                    await RepositoryLock.ThrowOnConflictAsync(repository, exclusive, cancellationToken).ConfigureAwait(false);
                }
                catch (BackendException e)
                {
                    throw CreateFailed(e);
                }
                acquisition = Task.Run(() => AcquireLockAsync(repository, exclusive, deferCheck: true, cancellationToken), cancellationToken);
            }
            else
            {
                acquisition = AcquireLockAsync(repository, exclusive, deferCheck: false, cancellationToken);
                await acquisition.ConfigureAwait(false);
            }
        }
        return new Session(repository, acquisition);
    }

    private static async Task<RepositoryLock> AcquireLockAsync(Repository repository, bool exclusive, bool deferCheck, CancellationToken cancellationToken)
    {
        try
        {
            return await RepositoryLock.AcquireAsync(repository, exclusive, deferCheck, cancellationToken).ConfigureAwait(false);
        }
        catch (BackendException e)
        {
            throw CreateFailed(e);
        }
    }

    private static LockFailedException CreateFailed(BackendException e) => new($"unable to create lock in backend: {e.Message}", e);

    public static CompressionMode ParseCompression(string? text) => text?.ToLowerInvariant() switch
    {
        null or "" or "auto" => CompressionMode.Auto,
        "off" => CompressionMode.Off,
        "max" => CompressionMode.Max,
        _ => throw new CofferException($"invalid compression mode \"{text}\"", "use auto, off or max"),
    };

    public async ValueTask DisposeAsync()
    {
        if (_acquisition is null)
        {
            return;
        }
        RepositoryLock held;
        try
        {
            held = await _acquisition.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Never taken: nothing to release. The failure was reported by ConfirmLockAsync, or the command ended
            // (with its own error, which this must not replace) before the lock mattered.
            return;
        }
        await held.DisposeAsync().ConfigureAwait(false);
    }
}
