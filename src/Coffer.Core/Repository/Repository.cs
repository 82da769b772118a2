using Coffer.Core.Compression;
using Coffer.Core.Crypto;
using Coffer.Core.Index;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Core.Repository;

/// <summary>
/// An opened repository: the backend, the master key and config, and the in-memory index once loaded.
/// Reads verify everything (storage id, MAC, blob hash) before returning it. Thread-safe for reads;
/// writes go through the owning operation.
/// </summary>
public sealed partial class Repository
{
    /// <summary>restic's limit on key files tried when opening without a hint.</summary>
    public const int MaxKeysTried = 20;

    /// <summary>Largest unpacked file (snapshot, index, lock) accepted after decompression.</summary>
    public const int MaxUnpackedSize = 512 * 1024 * 1024;

    private Repository(IBackend backend, CryptoKey key, RepositoryConfig config, string keyName, TimeProvider clock)
    {
        Backend = backend;
        Key = key;
        Config = config;
        KeyName = keyName;
        Clock = clock;
    }

    /// <summary>Where the files are.</summary>
    public IBackend Backend { get; }

    /// <summary>The master key (encrypts everything but key files).</summary>
    public CryptoKey Key { get; }

    /// <summary>The parsed config file.</summary>
    public RepositoryConfig Config { get; }

    /// <summary>Name of the key file that opened the repository.</summary>
    public string KeyName { get; }

    /// <summary>The clock used for lock and snapshot times.</summary>
    public TimeProvider Clock { get; }

    /// <summary>The in-memory index; empty until <see cref="LoadIndexAsync"/>.</summary>
    public MasterIndex Index { get; private set; } = new();

    /// <summary>Where <see cref="LoadIndexAsync"/> keeps a local copy of the index; null: none.</summary>
    public IndexCache? IndexCache { get; set; }

    /// <summary>Compression used when writing blobs and unpacked files.</summary>
    public CompressionMode Compression { get; set; } = CompressionMode.Auto;

    /// <summary>
    /// Opens the repository: tries the key files (the hinted one first, then at most
    /// <see cref="MaxKeysTried"/>) with <paramref name="password"/>, then loads the config.
    /// Throws <see cref="RepositoryNotFoundException"/>, <see cref="WrongPasswordException"/> or
    /// <see cref="RepositoryCorruptException"/>.
    /// </summary>
    public static async Task<Repository> OpenAsync(IBackend backend, ReadOnlyMemory<byte> password, CancellationToken cancellationToken,
        string? keyHint = null, TimeProvider? clock = null)
    {
        bool exists;
        try
        {
            exists = await backend.ExistsAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false);
        }
        catch (BackendException e) when (!e.IsTransient)
        {
            throw new RepositoryNotFoundException(backend.Location, e);
        }
        if (!exists)
        {
            throw new RepositoryNotFoundException(backend.Location);
        }
        var (key, keyName) = await OpenKeyAsync(backend, password, keyHint, cancellationToken).ConfigureAwait(false);
        var config = await LoadConfigAsync(backend, key, cancellationToken).ConfigureAwait(false);
        return new Repository(backend, key, config, keyName, clock ?? TimeProvider.System);
    }

    /// <summary>Reads, verifies and parses the config file with the master key.</summary>
    internal static async Task<RepositoryConfig> LoadConfigAsync(IBackend backend, CryptoKey key, CancellationToken cancellationToken)
    {
        var sealedConfig = await backend.ReadAllAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false);
        return RepositoryConfig.Parse(OpenBox(key, sealedConfig, "config"));
    }

    /// <summary>
    /// Creates a new repository: folders, a first key file for <paramref name="password"/>, then the
    /// config. Fails if a config already exists. <paramref name="masterKey"/> and
    /// <paramref name="config"/> default to fresh random ones.
    /// </summary>
    public static async Task<Repository> InitAsync(IBackend backend, ReadOnlyMemory<byte> password, RepositoryConfig config,
        KeyIdentity identity, CancellationToken cancellationToken, ScryptParameters? scrypt = null, TimeProvider? clock = null)
    {
        if (await backend.ExistsAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false))
        {
            throw new CofferException($"config file already exists at {backend.Location}", "a repository is already there; open it instead");
        }
        clock ??= TimeProvider.System;
        await backend.CreateAsync(cancellationToken).ConfigureAwait(false);
        var master = CryptoKey.NewRandom();
        var keyName = await KeyRing.SaveKeyAsync(backend, master, password, identity, scrypt ?? ScryptParameters.Default, clock, cancellationToken).ConfigureAwait(false);
        var sealedConfig = master.Seal(config.Encode());
        await backend.SaveAsync(FileHandle.Config, sealedConfig, cancellationToken).ConfigureAwait(false);
        return new Repository(backend, master, config, keyName, clock);
    }

    private static async Task<(CryptoKey Key, string Name)> OpenKeyAsync(IBackend backend, ReadOnlyMemory<byte> password, string? keyHint, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var entry in backend.ListAsync(FileType.Key, cancellationToken).ConfigureAwait(false))
        {
            names.Add(entry.Name);
        }
        names.Sort(StringComparer.Ordinal);
        if (keyHint is not null)
        {
            var hinted = names.FindIndex(n => n.StartsWith(keyHint, StringComparison.Ordinal));
            if (hinted > 0)
            {
                (names[0], names[hinted]) = (names[hinted], names[0]);
            }
        }
        if (names.Count == 0)
        {
            throw new CofferException($"no key files found in {backend.Location}/keys", "the repository has no keys; it cannot be opened");
        }
        var problems = new List<string>();
        foreach (var name in names.Take(MaxKeysTried))
        {
            var handle = new FileHandle(FileType.Key, name);
            KeyFile keyFile;
            try
            {
                var bytes = await backend.ReadAllAsync(handle, cancellationToken).ConfigureAwait(false);
                if (Primitives.Id.Hash(bytes).ToString() != name)
                {
                    problems.Add($"{handle}: content does not match its name");
                    continue;
                }
                keyFile = KeyFile.Parse(bytes);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or BackendException)
            {
                problems.Add($"{handle}: {e.Message}");
                continue;
            }
            var key = keyFile.TryOpen(password.Span);
            if (key is not null)
            {
                return (key, name);
            }
        }
        if (problems.Count > 0 && problems.Count == Math.Min(names.Count, MaxKeysTried))
        {
            throw new RepositoryCorruptException(problems[0].Split(':')[0], string.Join("; ", problems));
        }
        throw new WrongPasswordException();
    }

    /// <summary>Opens a sealed box or throws <see cref="RepositoryCorruptException"/> naming <paramref name="file"/>.</summary>
    internal byte[] OpenBox(ReadOnlySpan<byte> box, string file) => OpenBox(Key, box, file);

    private static byte[] OpenBox(CryptoKey key, ReadOnlySpan<byte> box, string file)
    {
        if (box.Length < PackLayout.CryptoOverhead)
        {
            throw new RepositoryCorruptException(file, $"file too short ({box.Length} bytes)");
        }
        var plain = new byte[box.Length - PackLayout.CryptoOverhead];
        if (!key.TryOpen(box, plain))
        {
            throw new RepositoryCorruptException(file, "ciphertext verification failed");
        }
        return plain;
    }

    /// <summary>
    /// Loads an unpacked file (snapshot, index, lock): checks that the stored bytes hash to the name,
    /// opens the box and decompresses a version-2 payload. Returns the JSON.
    /// </summary>
    public async Task<byte[]> LoadUnpackedAsync(FileType type, Id id, CancellationToken cancellationToken)
    {
        var handle = new FileHandle(type, id.ToString());
        var name = handle.ToString();
        var stored = await Backend.ReadAllAsync(handle, cancellationToken).ConfigureAwait(false);
        if (Primitives.Id.Hash(stored) != id)
        {
            throw new RepositoryCorruptException(name, "content does not match its name (file damaged or truncated)");
        }
        return DecodeUnpacked(OpenBox(stored, name), name);
    }

    /// <summary>Turns the plaintext of an unpacked file into JSON: bare JSON (v1 style) or 0x02 + zstd.</summary>
    internal static byte[] DecodeUnpacked(byte[] plain, string name)
    {
        if (plain.Length == 0)
        {
            throw new RepositoryCorruptException(name, "empty file");
        }
        switch (plain[0])
        {
            case (byte)'{':
            case (byte)'[':
                return plain;
            case 2:
                try
                {
                    return Zstd.Decompress(plain.AsSpan(1), MaxUnpackedSize);
                }
                catch (InvalidDataException e)
                {
                    throw new RepositoryCorruptException(name, $"decompression failed: {e.Message}", inner: e);
                }
            default:
                throw new RepositoryCorruptException(name, $"not supported encoding format {plain[0]}");
        }
    }

    /// <summary>
    /// Stores JSON as an unpacked file of <paramref name="type"/>: compressed (0x02 + zstd) in a
    /// version-2 repository, bare in version 1; sealed; named by the hash of the stored bytes.
    /// </summary>
    public async Task<Id> SaveUnpackedAsync(FileType type, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        // Scratch space outside the managed heap: index files run to megabytes, and large-object-heap
        // garbage would stay committed until the next full collection.
        if (!Config.SupportsCompression)
        {
            using var bare = new NativeBuffer(json.Length + PackLayout.CryptoOverhead);
            var bareStored = bare.Memory[..(json.Length + PackLayout.CryptoOverhead)];
            Key.Seal(json.Span, bareStored.Span);
            return await SaveSealedAsync(type, bareStored, cancellationToken).ConfigureAwait(false);
        }
        using var plain = new NativeBuffer(Zstd.CompressBound(json.Length) + 1);
        var p = plain.GetSpan();
        p[0] = 2;
        var n = Zstd.Compress(json.Span, p[1..], Zstd.LevelFor(Compression));
        using var stored = new NativeBuffer(n + 1 + PackLayout.CryptoOverhead);
        var sealedBytes = stored.Memory[..(n + 1 + PackLayout.CryptoOverhead)];
        Key.Seal(p[..(n + 1)], sealedBytes.Span);
        return await SaveSealedAsync(type, sealedBytes, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Id> SaveSealedAsync(FileType type, ReadOnlyMemory<byte> stored, CancellationToken cancellationToken)
    {
        var id = Primitives.Id.Hash(stored.Span);
        await Backend.SaveAsync(new FileHandle(type, id.ToString()), stored, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>Lists the ids of all files of a type.</summary>
    public async Task<List<Id>> ListIdsAsync(FileType type, CancellationToken cancellationToken)
    {
        var ids = new List<Id>();
        await foreach (var entry in Backend.ListAsync(type, cancellationToken).ConfigureAwait(false))
        {
            if (Primitives.Id.TryParse(entry.Name, out var id))
            {
                ids.Add(id);
            }
        }
        ids.Sort();
        return ids;
    }

    /// <summary>
    /// Resolves an id or unique prefix of one among the files of <paramref name="type"/>. Throws a
    /// <see cref="CofferException"/> when nothing or more than one file matches.
    /// </summary>
    public async Task<Id> ResolvePrefixAsync(FileType type, string prefix, CancellationToken cancellationToken)
    {
        if (Primitives.Id.TryParse(prefix, out var full))
        {
            return full;
        }
        var lower = prefix.ToLowerInvariant();
        var matches = (await ListIdsAsync(type, cancellationToken).ConfigureAwait(false))
            .Where(id => id.ToString().StartsWith(lower, StringComparison.Ordinal)).Take(2).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new CofferException($"no matching ID found for prefix \"{prefix}\""),
            _ => throw new CofferException($"multiple IDs with prefix \"{prefix}\" found", "give more digits of the id"),
        };
    }

    /// <summary>
    /// Starts a write session. Dispose it; call <see cref="UploadSession.CommitAsync"/> before disposing to
    /// keep what was saved (<c>await using var upload = repo.BeginUpload(...); …; await upload.CommitAsync(ct);</c>).
    /// </summary>
    public UploadSession BeginUpload(UploadOptions options, CancellationToken cancellationToken) => new(this, options, cancellationToken);
}
