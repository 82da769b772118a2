using Coffer.Testing;
using Xunit;

namespace Coffer.Storage.Tests;

public sealed class ReadOnlyBackendTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Refuses_every_change_and_leaves_the_store_untouched()
    {
        var store = new InMemoryBackend();
        var (existing, existingData) = TestFiles.New(FileType.Snapshot, 10);
        await store.SaveAsync(existing, existingData, Token);
        var faulty = new FaultyBackend(store);
        await using var readOnly = new ReadOnlyBackend(faulty);
        var (handle, data) = TestFiles.New(FileType.Pack, 10);

        var save = await Assert.ThrowsAsync<BackendException>(() => readOnly.SaveAsync(handle, data, Token));
        var delete = await Assert.ThrowsAsync<BackendException>(() => readOnly.DeleteAsync(existing, Token));
        var create = await Assert.ThrowsAsync<BackendException>(() => readOnly.CreateAsync(Token));

        Assert.All([save, delete, create], e => Assert.StartsWith("repository is opened read-only", e.Message, StringComparison.Ordinal));
        Assert.All([save, delete, create], e => Assert.False(e.IsTransient));
        Assert.Equal(0, faulty.SaveCalls + faulty.DeleteCalls + faulty.CreateCalls);
        Assert.True(await store.ExistsAsync(existing, Token));
    }

    [Fact]
    public async Task Passes_reads_through()
    {
        var store = new InMemoryBackend("memory:ro");
        var (handle, data) = TestFiles.New(FileType.Index, 100);
        await store.SaveAsync(handle, data, Token);
        await using var readOnly = new ReadOnlyBackend(store);

        Assert.Equal("memory:ro", readOnly.Location);
        Assert.True(await readOnly.ExistsAsync(handle, Token));
        Assert.Equal(100, await readOnly.GetSizeAsync(handle, Token));
        Assert.Equal(data, await readOnly.ReadAllAsync(handle, Token));
        var listed = new List<FileEntry>();
        await foreach (var entry in readOnly.ListAsync(FileType.Index, Token))
        {
            listed.Add(entry);
        }
        Assert.Equal([new FileEntry(handle.Name, 100)], listed);
    }
}
