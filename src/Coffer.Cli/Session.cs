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

    public static async Task<Session> OpenAsync(Settings settings, CliConsole console, LockMode mode, CancellationToken cancellationToken)
    {
        var location = RepositoryLocator.ResolveLocation(settings.Repository, settings.RepositoryFile);
        var backend = RepositoryLocator.Open(location);
        if (!await backend.ExistsAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false))
        {
            throw new RepositoryNotFoundException(backend.Location);
        }
        var password = await PasswordSource.ResolveAsync(console, settings.PasswordFile, settings.PasswordCommand,
            Settings.EnvironmentPassword(console), $"enter password for repository: ", cancellationToken).ConfigureAwait(false);
        var repository = await Repository.OpenAsync(backend, password, cancellationToken, settings.KeyHint).ConfigureAwait(false);
        Array.Clear(password);
        repository.Compression = ParseCompression(settings.Compression);
        RepositoryLock? held = null;
        if (mode != LockMode.None && !(settings.NoLock && mode == LockMode.Shared))
        {
            try
            {
                held = await RepositoryLock.AcquireAsync(repository, mode == LockMode.Exclusive, cancellationToken).ConfigureAwait(false);
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
