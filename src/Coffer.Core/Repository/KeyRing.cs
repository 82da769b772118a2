using Coffer.Core.Crypto;
using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Core.Repository;

/// <summary>
/// The key files of a repository: list, add, remove, change password. Every key file wraps the same
/// master key. A password change writes the new key before removing the old one, so an interruption
/// leaves at least one working key.
/// </summary>
public static class KeyRing
{
    /// <summary>One key file as listed.</summary>
    public sealed record KeyInfo(string Name, KeyFile File, bool IsCurrent);

    /// <summary>Writes a key file wrapping <paramref name="master"/> for <paramref name="password"/>; returns its name.</summary>
    public static async Task<string> SaveKeyAsync(IBackend backend, CryptoKey master, ReadOnlyMemory<byte> password, KeyIdentity identity,
        ScryptParameters parameters, TimeProvider clock, CancellationToken cancellationToken)
    {
        var file = KeyFile.Create(master, password.Span, parameters, identity.Username, identity.Hostname, GoTime.Now(clock));
        var json = file.ToJson();
        var name = Id.Hash(json).ToString();
        await backend.SaveAsync(new FileHandle(FileType.Key, name), json, cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>Lists all key files; unreadable ones are passed to <paramref name="onError"/>.</summary>
    public static async Task<List<KeyInfo>> ListAsync(Repository repository, CancellationToken cancellationToken, Action<string, Exception>? onError = null)
    {
        var result = new List<KeyInfo>();
        foreach (var id in await repository.ListIdsAsync(FileType.Key, cancellationToken).ConfigureAwait(false))
        {
            var name = id.ToString();
            try
            {
                var bytes = await repository.Backend.ReadAllAsync(new FileHandle(FileType.Key, name), cancellationToken).ConfigureAwait(false);
                result.Add(new KeyInfo(name, KeyFile.Parse(bytes), name == repository.KeyName));
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or BackendException)
            {
                onError?.Invoke(name, e);
            }
        }
        return result;
    }

    /// <summary>Adds a key file for another password; returns its name.</summary>
    public static Task<string> AddAsync(Repository repository, ReadOnlyMemory<byte> newPassword, KeyIdentity identity, CancellationToken cancellationToken,
        ScryptParameters? parameters = null) =>
        SaveKeyAsync(repository.Backend, repository.Key, newPassword, identity, parameters ?? ScryptParameters.Default, repository.Clock, cancellationToken);

    /// <summary>Removes a key file. The key in use cannot be removed (restic's rule), so one working key always remains.</summary>
    public static async Task RemoveAsync(Repository repository, string idOrPrefix, CancellationToken cancellationToken)
    {
        var id = await repository.ResolvePrefixAsync(FileType.Key, idOrPrefix, cancellationToken).ConfigureAwait(false);
        var name = id.ToString();
        if (name == repository.KeyName)
        {
            throw new CofferException("refusing to remove key currently used to access repository", "open the repository with another key to remove this one");
        }
        var handle = new FileHandle(FileType.Key, name);
        if (!await repository.Backend.ExistsAsync(handle, cancellationToken).ConfigureAwait(false))
        {
            throw new CofferException($"key {idOrPrefix} not found");
        }
        await repository.Backend.DeleteAsync(handle, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the current key with one for <paramref name="newPassword"/>: new key written first, old removed after.</summary>
    public static async Task<string> ChangePasswordAsync(Repository repository, ReadOnlyMemory<byte> newPassword, KeyIdentity identity, CancellationToken cancellationToken,
        ScryptParameters? parameters = null)
    {
        var name = await AddAsync(repository, newPassword, identity, cancellationToken, parameters).ConfigureAwait(false);
        await repository.Backend.DeleteAsync(new FileHandle(FileType.Key, repository.KeyName), cancellationToken).ConfigureAwait(false);
        return name;
    }
}
