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
    private Session(Repository repository, RepositoryLock? heldLock)
    {
        Repository = repository;
        Lock = heldLock;
    }

    public Repository Repository { get; }

    public RepositoryLock? Lock { get; }

    /// <summary>Opens the main repository of <paramref name="settings"/> and locks it as <paramref name="mode"/> says (a shared lock not with <c>--no-lock</c>).</summary>
    public static Task<Session> OpenAsync(Settings settings, CliConsole console, LockMode mode, CancellationToken cancellationToken) =>
        OpenAsync(RepositoryAccess.Primary(settings), settings.Compression, settings.NoLock, console, mode, cancellationToken, settings.CacheDirectory);

    /// <summary>
    /// Like <see cref="OpenAsync(Settings, CliConsole, LockMode, CancellationToken)"/>, but the lock's second look
    /// for conflicting locks runs in the background: the caller reads what it needs meanwhile and awaits
    /// <see cref="ConfirmLockAsync"/> before acting on it.
    /// </summary>
    public static Task<Session> OpenDeferringLockCheckAsync(Settings settings, CliConsole console, LockMode mode, CancellationToken cancellationToken) =>
        OpenAsync(RepositoryAccess.Primary(settings), settings.Compression, settings.NoLock, console, mode, cancellationToken, settings.CacheDirectory, deferLockCheck: true);

    /// <summary>Completes once the lock is confirmed (at once without a lock or a deferred check).</summary>
    public async Task ConfirmLockAsync()
    {
        if (Lock is null)
        {
            return;
        }
        try
        {
            await Lock.ConfirmAsync().ConfigureAwait(false);
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
        RepositoryLock? held = null;
        if (mode != LockMode.None && !(noLock && mode == LockMode.Shared))
        {
            try
            {
                held = await RepositoryLock.AcquireAsync(repository, mode == LockMode.Exclusive, deferLockCheck, cancellationToken).ConfigureAwait(false);
            }
            catch (BackendException e)
            {
                throw new LockFailedException($"unable to create lock in backend: {e.Message}", e);
            }
        }
        return new Session(repository, held);
    }

    public static CompressionMode ParseCompression(string? text) => text?.ToLowerInvariant() switch
    {
        null or "" or "auto" => CompressionMode.Auto,
        "off" => CompressionMode.Off,
        "max" => CompressionMode.Max,
        _ => throw new CofferException($"invalid compression mode \"{text}\"", "use auto, off or max"),
    };

    public async ValueTask DisposeAsync()
    {
        if (Lock is not null)
        {
            await Lock.DisposeAsync().ConfigureAwait(false);
        }
    }
}
