using System.Security.Cryptography;
using Coffer.Storage;
using Xunit;

namespace Coffer.Testing;

// Past the usual file size on purpose: one suite states the whole backend contract in one place.

/// <summary>
/// The contract every <see cref="IBackend"/> must meet, as tests. A backend's test project derives from
/// this class and says how to open an empty location; optional hooks let the suite interrupt saves,
/// plant foreign files and look for leftover temporary files where a backend can support that.
/// </summary>
public abstract class BackendConformanceTests
{
    private static readonly FileType[] FolderTypes = [.. FileTypes.Listable];

    /// <summary>The test's cancellation token.</summary>
    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Opens a backend on a new, empty location; the repository is not created yet.</summary>
    protected abstract Task<IBackend> OpenEmptyBackendAsync();

    /// <summary>
    /// Makes every later save of <paramref name="backend"/> run <paramref name="interruption"/> half-way
    /// (after bytes are written, before they become visible). False if the backend cannot do that.
    /// </summary>
    protected virtual bool TryInterruptSaves(IBackend backend, Func<FileHandle, CancellationToken, ValueTask> interruption) => false;

    /// <summary>Puts a file under a name the backend would refuse, as another program might. False if unsupported.</summary>
    protected virtual bool TryPlantForeignFile(IBackend backend, FileType type, string name, byte[] data) => false;

    /// <summary>Temporary or partial files the backend left behind (empty when there is no such notion).</summary>
    protected virtual IReadOnlyList<string> FindLeftovers(IBackend backend) => [];

    /// <summary>Opens an empty location and creates the repository in it.</summary>
    protected async Task<IBackend> CreateRepositoryAsync()
    {
        var backend = await OpenEmptyBackendAsync();
        await backend.CreateAsync(Token);
        return backend;
    }

    /// <summary>Random content and its SHA-256 name, as the repository format names files.</summary>
    protected static (FileHandle Handle, byte[] Data) NewFile(FileType type, int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        return (new FileHandle(type, Convert.ToHexStringLower(SHA256.HashData(data))), data);
    }

    [Fact]
    public async Task Create_then_each_type_saves_reads_lists_and_deletes()
    {
        await using var backend = await CreateRepositoryAsync();
        foreach (var type in FolderTypes)
        {
            var (handle, data) = NewFile(type, 1000 + (int)type);
            await backend.SaveAsync(handle, data, Token);

            Assert.True(await backend.ExistsAsync(handle, Token));
            Assert.Equal(data.Length, await backend.GetSizeAsync(handle, Token));
            Assert.Equal(data, await backend.ReadAllAsync(handle, Token));
            Assert.Equal([new FileEntry(handle.Name, data.Length)], await ListAsync(backend, type));

            await backend.DeleteAsync(handle, Token);
            Assert.False(await backend.ExistsAsync(handle, Token));
            Assert.Empty(await ListAsync(backend, type));
        }
    }

    [Fact]
    public async Task Types_do_not_mix_in_listings()
    {
        await using var backend = await CreateRepositoryAsync();
        var saved = new Dictionary<FileType, string>();
        foreach (var type in FolderTypes)
        {
            var (handle, data) = NewFile(type, 64);
            await backend.SaveAsync(handle, data, Token);
            saved[type] = handle.Name;
        }
        foreach (var type in FolderTypes)
        {
            Assert.Equal([saved[type]], (await ListAsync(backend, type)).Select(e => e.Name));
        }
    }

    [Fact]
    public async Task Config_is_saved_and_read_under_its_fixed_name()
    {
        await using var backend = await CreateRepositoryAsync();
        Assert.False(await backend.ExistsAsync(FileHandle.Config, Token));
        var data = RandomNumberGenerator.GetBytes(155);
        await backend.SaveAsync(FileHandle.Config, data, Token);
        Assert.True(await backend.ExistsAsync(FileHandle.Config, Token));
        Assert.Equal(155, await backend.GetSizeAsync(FileHandle.Config, Token));
        Assert.Equal(data, await backend.ReadAllAsync(FileHandle.Config, Token));
    }

    [Fact]
    public async Task Create_fails_when_a_config_exists()
    {
        await using var backend = await CreateRepositoryAsync();
        await backend.SaveAsync(FileHandle.Config, new byte[] { 1, 2, 3 }, Token);
        await Assert.ThrowsAnyAsync<BackendException>(() => backend.CreateAsync(Token));
        Assert.Equal([1, 2, 3], await backend.ReadAllAsync(FileHandle.Config, Token));
    }

    [Fact]
    public async Task Empty_file_round_trips()
    {
        await using var backend = await CreateRepositoryAsync();
        var (handle, data) = NewFile(FileType.Lock, 0);
        await backend.SaveAsync(handle, data, Token);
        Assert.Equal(0, await backend.GetSizeAsync(handle, Token));
        Assert.Empty(await backend.ReadAllAsync(handle, Token));
        Assert.Equal([new FileEntry(handle.Name, 0)], await ListAsync(backend, FileType.Lock));
    }

    [Fact]
    public async Task Large_file_round_trips()
    {
        await using var backend = await CreateRepositoryAsync();
        var (handle, data) = NewFile(FileType.Pack, (5 << 20) + 123);
        await backend.SaveAsync(handle, data, Token);
        Assert.Equal(data, await backend.ReadAllAsync(handle, Token));
    }

    [Fact]
    public async Task Save_cancelled_before_it_starts_leaves_nothing()
    {
        await using var backend = await CreateRepositoryAsync();
        var (handle, data) = NewFile(FileType.Pack, 4096);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => backend.SaveAsync(handle, data, cancelled.Token));

        await AssertNothingStoredAsync(backend, handle);
    }

    [Fact]
    public async Task Save_failing_half_way_leaves_nothing()
    {
        await using var backend = await CreateRepositoryAsync();
        if (!TryInterruptSaves(backend, (_, _) => throw new IOException("simulated write failure")))
        {
            Assert.Skip("this backend cannot interrupt a save half-way");
        }
        var (handle, data) = NewFile(FileType.Pack, 64 * 1024);

        var error = await Record.ExceptionAsync(() => backend.SaveAsync(handle, data, Token));

        Assert.NotNull(error);
        await AssertNothingStoredAsync(backend, handle);
    }

    [Fact]
    public async Task Save_cancelled_half_way_leaves_nothing()
    {
        await using var backend = await CreateRepositoryAsync();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
        if (!TryInterruptSaves(backend, async (_, _) => await cancellation.CancelAsync()))
        {
            Assert.Skip("this backend cannot interrupt a save half-way");
        }
        var (handle, data) = NewFile(FileType.Snapshot, 64 * 1024);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => backend.SaveAsync(handle, data, cancellation.Token));

        await AssertNothingStoredAsync(backend, handle);
    }

    [Fact]
    public async Task Saving_identical_bytes_twice_succeeds()
    {
        await using var backend = await CreateRepositoryAsync();
        var (handle, data) = NewFile(FileType.Index, 3000);
        await backend.SaveAsync(handle, data, Token);
        await backend.SaveAsync(handle, data.ToArray(), Token);
        Assert.Equal(data, await backend.ReadAllAsync(handle, Token));
        Assert.Single(await ListAsync(backend, FileType.Index));
    }

    [Fact]
    public async Task Saving_different_bytes_under_an_existing_name_fails_and_keeps_the_original()
    {
        await using var backend = await CreateRepositoryAsync();
        var (handle, data) = NewFile(FileType.Pack, 3000);
        await backend.SaveAsync(handle, data, Token);

        var changed = data.ToArray();
        changed[1234] ^= 1;
        await Assert.ThrowsAnyAsync<BackendException>(() => backend.SaveAsync(handle, changed, Token));
        await Assert.ThrowsAnyAsync<BackendException>(() => backend.SaveAsync(handle, data.AsMemory(0, 10), Token));

        Assert.Equal(data, await backend.ReadAllAsync(handle, Token));
        Assert.Empty(FindLeftovers(backend));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../escape")]
    [InlineData("ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    public async Task Names_that_are_not_64_lowercase_hex_digits_are_refused(string name)
    {
        await using var backend = await CreateRepositoryAsync();
        var handle = new FileHandle(FileType.Snapshot, name);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => backend.SaveAsync(handle, new byte[] { 1 }, Token));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => backend.ReadAtAsync(handle, 0, new byte[1], Token));
    }

    [Fact]
    public async Task Ranged_reads_at_start_middle_and_end_return_those_bytes()
    {
        await using var backend = await CreateRepositoryAsync();
        var (handle, data) = NewFile(FileType.Pack, 100_000);
        await backend.SaveAsync(handle, data, Token);

        foreach (var (offset, length) in new[] { (0, 1), (0, 4096), (50_000, 1234), (99_999, 1), (100_000 - 4096, 4096), (0, 100_000) })
        {
            var buffer = new byte[length];
            await backend.ReadAtAsync(handle, offset, buffer, Token);
            Assert.Equal(data.AsSpan(offset, length), buffer.AsSpan());
        }
    }

    [Fact]
    public async Task Zero_length_reads_succeed_anywhere_inside_the_file()
    {
        await using var backend = await CreateRepositoryAsync();
        var (handle, data) = NewFile(FileType.Pack, 1000);
        await backend.SaveAsync(handle, data, Token);
        foreach (var offset in new long[] { 0, 500, 1000 })
        {
            await backend.ReadAtAsync(handle, offset, Memory<byte>.Empty, Token);
        }
    }

    [Fact]
    public async Task Reads_past_the_end_fail_without_claiming_the_file_is_missing()
    {
        await using var backend = await CreateRepositoryAsync();
        var (handle, data) = NewFile(FileType.Pack, 1000);
        await backend.SaveAsync(handle, data, Token);

        foreach (var (offset, length) in new[] { (999L, 2), (0L, 1001), (1000L, 1), (5000L, 10), (1001L, 0) })
        {
            var error = await Assert.ThrowsAnyAsync<BackendException>(() => backend.ReadAtAsync(handle, offset, new byte[length], Token));
            Assert.IsNotType<BackendNotFoundException>(error);
            Assert.False(error.IsTransient);
            Assert.Contains(handle.Name, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Missing_files_are_reported_as_not_found()
    {
        await using var backend = await CreateRepositoryAsync();
        var (handle, _) = NewFile(FileType.Pack, 10);

        Assert.False(await backend.ExistsAsync(handle, Token));
        Assert.False(await backend.ExistsAsync(FileHandle.Config, Token));
        var stat = await Assert.ThrowsAsync<BackendNotFoundException>(() => backend.GetSizeAsync(handle, Token));
        Assert.Equal(handle, stat.Handle);
        Assert.False(stat.IsTransient);
        await Assert.ThrowsAsync<BackendNotFoundException>(() => backend.ReadAtAsync(handle, 0, new byte[1], Token));
        await Assert.ThrowsAsync<BackendNotFoundException>(() => backend.ReadAtAsync(handle, 0, Memory<byte>.Empty, Token));
        await Assert.ThrowsAsync<BackendNotFoundException>(() => backend.ReadAllAsync(FileHandle.Config, Token));
    }

    [Fact]
    public async Task Listing_returns_every_name_with_its_exact_size()
    {
        await using var backend = await CreateRepositoryAsync();
        var expected = new Dictionary<string, long>();
        for (var i = 0; i < 40; i++)
        {
            var (handle, data) = NewFile(FileType.Pack, i * 37);
            await backend.SaveAsync(handle, data, Token);
            expected[handle.Name] = data.Length;
        }

        var listed = await ListAsync(backend, FileType.Pack);

        Assert.Equal(expected.Count, listed.Count);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), listed.Select(e => KeyValuePair.Create(e.Name, e.Size)).OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Listing_an_empty_repository_returns_nothing()
    {
        await using var backend = await CreateRepositoryAsync();
        foreach (var type in FolderTypes)
        {
            Assert.Empty(await ListAsync(backend, type));
        }
    }

    [Fact]
    public async Task Listing_skips_names_that_are_not_file_ids()
    {
        await using var backend = await CreateRepositoryAsync();
        var (pack, data) = NewFile(FileType.Pack, 100);
        await backend.SaveAsync(pack, data, Token);
        var (snapshot, snapshotData) = NewFile(FileType.Snapshot, 100);
        await backend.SaveAsync(snapshot, snapshotData, Token);
        var planted = TryPlantForeignFile(backend, FileType.Pack, pack.Name + "-tmp-123", [1, 2])
            & TryPlantForeignFile(backend, FileType.Pack, pack.Name.ToUpperInvariant(), [1, 2])
            & TryPlantForeignFile(backend, FileType.Snapshot, "README", [1, 2])
            & TryPlantForeignFile(backend, FileType.Snapshot, snapshot.Name[..63], [1, 2]);
        if (!planted)
        {
            Assert.Skip("this backend cannot hold foreign files");
        }

        Assert.Equal([new FileEntry(pack.Name, 100)], await ListAsync(backend, FileType.Pack));
        Assert.Equal([new FileEntry(snapshot.Name, 100)], await ListAsync(backend, FileType.Snapshot));
    }

    [Fact]
    public async Task Delete_is_idempotent()
    {
        await using var backend = await CreateRepositoryAsync();
        var (handle, data) = NewFile(FileType.Lock, 200);
        await backend.DeleteAsync(handle, Token);
        await backend.SaveAsync(handle, data, Token);
        await backend.DeleteAsync(handle, Token);
        await backend.DeleteAsync(handle, Token);
        Assert.False(await backend.ExistsAsync(handle, Token));
        await backend.DeleteAsync(FileHandle.Config, Token);

        // After a delete the name is free again.
        await backend.SaveAsync(handle, data, Token);
        Assert.Equal(data, await backend.ReadAllAsync(handle, Token));
    }

    [Fact]
    public async Task Concurrent_saves_from_many_tasks_all_land()
    {
        await using var backend = await CreateRepositoryAsync();
        var files = Enumerable.Range(0, 200).Select(i => NewFile(i % 2 == 0 ? FileType.Pack : FileType.Index, 1 + (i * 311 % 20_000))).ToArray();

        // Every file is saved twice, concurrently, to exercise the identical-bytes rule under races.
        await Parallel.ForEachAsync(
            files.Concat(files),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Token },
            async (file, ct) => await backend.SaveAsync(file.Handle, file.Data, ct));

        foreach (var type in new[] { FileType.Pack, FileType.Index })
        {
            var expected = files.Where(f => f.Handle.Type == type).Select(f => new FileEntry(f.Handle.Name, f.Data.Length)).OrderBy(e => e.Name, StringComparer.Ordinal);
            Assert.Equal(expected, (await ListAsync(backend, type)).OrderBy(e => e.Name, StringComparer.Ordinal));
        }
        await Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Token },
            async (file, ct) => Assert.Equal(file.Data, await backend.ReadAllAsync(file.Handle, ct)));
        Assert.Empty(FindLeftovers(backend));
    }

    /// <summary>Collects a listing.</summary>
    protected static async Task<List<FileEntry>> ListAsync(IBackend backend, FileType type)
    {
        var entries = new List<FileEntry>();
        await foreach (var entry in backend.ListAsync(type, Token))
        {
            entries.Add(entry);
        }
        return entries;
    }

    private async Task AssertNothingStoredAsync(IBackend backend, FileHandle handle)
    {
        Assert.False(await backend.ExistsAsync(handle, Token));
        Assert.DoesNotContain(await ListAsync(backend, handle.Type), e => e.Name == handle.Name);
        await Assert.ThrowsAsync<BackendNotFoundException>(() => backend.GetSizeAsync(handle, Token));
        Assert.Empty(FindLeftovers(backend));
    }
}
