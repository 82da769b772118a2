using System.Runtime.Versioning;
using System.Security.Cryptography;
using Coffer.Storage;
using Xunit;

namespace Coffer.Backends.Local.Tests;

/// <summary>What the local backend does beyond the common contract: layout, permissions, restic's repositories.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class LocalBackendTests : IDisposable
{
    private const UnixFileMode Mode0400 = UnixFileMode.UserRead;
    private const UnixFileMode Mode0440 = UnixFileMode.UserRead | UnixFileMode.GroupRead;
    private const UnixFileMode Mode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly TemporaryFolder _folder = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static (FileHandle Handle, byte[] Data) NewFile(FileType type, int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        return (new FileHandle(type, Convert.ToHexStringLower(SHA256.HashData(data))), data);
    }

    private async Task<LocalBackend> CreateRepositoryAsync(string name = "repo")
    {
        var backend = LocalBackend.Open(Path.Combine(_folder.Path, name));
        await backend.CreateAsync(Token);
        return backend;
    }

    [Fact]
    public async Task A_saved_file_is_in_the_next_listing_as_the_backend_claims()
    {
        var backend = await CreateRepositoryAsync();
        Assert.True(backend.ListsConsistently);
        var (handle, data) = NewFile(FileType.Lock, 100);
        await backend.SaveAsync(handle, data, Token);
        var names = new List<string>();
        await foreach (var entry in backend.ListAsync(FileType.Lock, Token))
        {
            names.Add(entry.Name);
        }
        Assert.Equal([handle.Name], names);
    }

    [Fact]
    public async Task Parallel_reads_of_more_packs_than_are_cached_all_succeed()
    {
        // More packs than the handle cache keeps, read from several threads at once: handles are evicted
        // while other threads are about to read through them.
        var backend = await CreateRepositoryAsync();
        var packs = Enumerable.Range(0, 150).Select(_ => NewFile(FileType.Pack, 4096)).ToArray();
        foreach (var (handle, data) in packs)
        {
            await backend.SaveAsync(handle, data, Token);
        }
        await Parallel.ForAsync(0, 8 * 600, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Token }, async (i, ct) =>
        {
            var (handle, data) = packs[(i * 7919) % packs.Length];
            var buffer = new byte[100];
            var offset = i % (data.Length - buffer.Length);
            await backend.ReadAtAsync(handle, offset, buffer, ct);
            Assert.Equal(data.AsSpan(offset, buffer.Length).ToArray(), buffer);
        });
    }

    [Fact]
    public async Task Create_makes_the_type_folders_and_all_256_data_folders_private()
    {
        var backend = await CreateRepositoryAsync();
        foreach (var folder in new[] { "keys", "snapshots", "index", "locks", "data" })
        {
            Assert.True(Directory.Exists(Path.Combine(backend.RootPath, folder)), folder);
        }
        var data = Directory.GetDirectories(Path.Combine(backend.RootPath, "data")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Enumerable.Range(0, 256).Select(i => i.ToString("x2")), data);
        Assert.Equal(Mode0700, File.GetUnixFileMode(backend.RootPath));
        Assert.Equal(Mode0700, File.GetUnixFileMode(Path.Combine(backend.RootPath, "data", "ab")));
        Assert.Empty(Directory.GetFiles(backend.RootPath, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Saved_files_are_read_only_and_packs_live_in_data_xx()
    {
        var backend = await CreateRepositoryAsync();
        await backend.SaveAsync(FileHandle.Config, new byte[] { 1, 2, 3 }, Token);
        var (pack, packData) = NewFile(FileType.Pack, 1000);
        var (snapshot, snapshotData) = NewFile(FileType.Snapshot, 100);
        await backend.SaveAsync(pack, packData, Token);
        await backend.SaveAsync(snapshot, snapshotData, Token);

        var packPath = Path.Combine(backend.RootPath, "data", pack.Name[..2], pack.Name);
        Assert.Equal(packData, await File.ReadAllBytesAsync(packPath, Token));
        Assert.Equal(Mode0400, File.GetUnixFileMode(packPath));
        Assert.Equal(Mode0400, File.GetUnixFileMode(Path.Combine(backend.RootPath, "snapshots", snapshot.Name)));
        Assert.Equal(Mode0400, File.GetUnixFileMode(Path.Combine(backend.RootPath, "config")));
    }

    [Fact]
    public async Task A_group_readable_config_gives_group_modes()
    {
        var path = Path.Combine(_folder.Path, "shared");
        await (await CreateRepositoryAsync("shared")).SaveAsync(FileHandle.Config, new byte[] { 7 }, Token);
        File.SetUnixFileMode(Path.Combine(path, "config"), Mode0440);

        var backend = LocalBackend.Open(path);
        var (pack, data) = NewFile(FileType.Pack, 10);
        await backend.SaveAsync(pack, data, Token);

        Assert.Equal(Mode0440, File.GetUnixFileMode(Path.Combine(path, "data", pack.Name[..2], pack.Name)));
    }

    [Fact]
    public async Task Read_only_files_can_be_deleted()
    {
        var backend = await CreateRepositoryAsync();
        var (handle, data) = NewFile(FileType.Lock, 10);
        await backend.SaveAsync(handle, data, Token);
        await backend.DeleteAsync(handle, Token);
        Assert.False(File.Exists(Path.Combine(backend.RootPath, "locks", handle.Name)));
    }

    [Fact]
    public async Task Temporary_files_left_by_a_crash_are_not_listed()
    {
        var backend = await CreateRepositoryAsync();
        var (pack, data) = NewFile(FileType.Pack, 10);
        await backend.SaveAsync(pack, data, Token);
        await File.WriteAllBytesAsync(Path.Combine(backend.RootPath, "data", pack.Name[..2], pack.Name + "-tmp-123"), [1], Token);
        await File.WriteAllBytesAsync(Path.Combine(backend.RootPath, "snapshots", "xxx-tmp-123"), [1], Token);
        await File.WriteAllBytesAsync(Path.Combine(backend.RootPath, "config-tmp-123"), [1], Token);

        var packs = await ListAsync(backend, FileType.Pack);
        var snapshots = await ListAsync(backend, FileType.Snapshot);

        Assert.Equal([new FileEntry(pack.Name, 10)], packs);
        Assert.Empty(snapshots);
        Assert.False(await backend.ExistsAsync(FileHandle.Config, Token));
    }

    [Fact]
    public async Task Saving_into_a_repository_without_empty_folders_creates_them()
    {
        var root = Path.Combine(_folder.Path, "bare");
        Directory.CreateDirectory(root);
        var backend = LocalBackend.Open(root);
        foreach (var type in FileTypes.Listable)
        {
            Assert.Empty(await ListAsync(backend, type));
        }

        var (pack, data) = NewFile(FileType.Pack, 10);
        var (lockFile, lockData) = NewFile(FileType.Lock, 10);
        await backend.SaveAsync(pack, data, Token);
        await backend.SaveAsync(lockFile, lockData, Token);

        Assert.Equal(Mode0700, File.GetUnixFileMode(Path.Combine(root, "data", pack.Name[..2])));
        Assert.Equal(data, await backend.ReadAllAsync(pack, Token));
        Assert.Equal(lockData, await backend.ReadAllAsync(lockFile, Token));
    }

    [Fact]
    public async Task Saving_into_a_missing_repository_folder_fails()
    {
        var backend = LocalBackend.Open(Path.Combine(_folder.Path, "nowhere"));
        var (pack, data) = NewFile(FileType.Pack, 10);
        var error = await Assert.ThrowsAsync<BackendException>(() => backend.SaveAsync(pack, data, Token));
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "nowhere")));
    }

    [Fact]
    public void A_relative_path_is_shown_as_given_and_resolved_against_the_current_folder()
    {
        var backend = LocalBackend.Open("some/relative/repo");
        Assert.Equal("some/relative/repo", backend.Location);
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "some", "relative", "repo"), backend.RootPath);
    }

    [Fact]
    public void Names_cannot_leave_the_repository_folder()
    {
        var backend = LocalBackend.Open(_folder.Path);
        Assert.Throws<ArgumentException>(() => backend.PathOf(new FileHandle(FileType.Key, "../../../../etc/passwd")));
        Assert.Throws<ArgumentException>(() => backend.PathOf(new FileHandle(FileType.Pack, "/etc/passwd")));
        Assert.Equal(Path.Combine(_folder.Path, "config"), backend.PathOf(new FileHandle(FileType.Config, "../ignored")));
    }

    [Fact]
    public async Task A_short_read_names_the_file_and_the_range()
    {
        var backend = await CreateRepositoryAsync();
        var (pack, data) = NewFile(FileType.Pack, 100);
        await backend.SaveAsync(pack, data, Token);

        var error = await Assert.ThrowsAsync<BackendException>(() => backend.ReadAtAsync(pack, 90, new byte[20], Token));

        Assert.Contains($"data/{pack.Name}", error.Message, StringComparison.Ordinal);
        Assert.Contains("offset 90", error.Message, StringComparison.Ordinal);
        Assert.Contains("100 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_over_a_foreign_file_with_other_content_fails()
    {
        var backend = await CreateRepositoryAsync();
        var (handle, data) = NewFile(FileType.Index, 50);
        var path = Path.Combine(backend.RootPath, "index", handle.Name);
        await File.WriteAllBytesAsync(path, [9, 9, 9], Token);

        await Assert.ThrowsAsync<BackendException>(() => backend.SaveAsync(handle, data, Token));

        Assert.Equal([9, 9, 9], await File.ReadAllBytesAsync(path, Token));
        Assert.Empty(Directory.GetFiles(backend.RootPath, "*-tmp-*", SearchOption.AllDirectories));
    }

    private static async Task<List<FileEntry>> ListAsync(IBackend backend, FileType type)
    {
        var entries = new List<FileEntry>();
        await foreach (var entry in backend.ListAsync(type, Token))
        {
            entries.Add(entry);
        }
        return entries;
    }

    public void Dispose() => _folder.Dispose();
}
