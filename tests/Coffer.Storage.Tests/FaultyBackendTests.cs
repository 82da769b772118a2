using Coffer.Testing;
using Xunit;

namespace Coffer.Storage.Tests;

public sealed class FaultyBackendTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fails_the_chosen_save_and_stores_nothing_for_it()
    {
        var store = new InMemoryBackend();
        var faulty = new FaultyBackend(store) { FailSaveNumber = 2 };
        var files = Enumerable.Range(0, 3).Select(i => TestFiles.New(FileType.Pack, 10)).ToArray();

        await faulty.SaveAsync(files[0].Handle, files[0].Data, Token);
        var error = await Assert.ThrowsAsync<BackendException>(() => faulty.SaveAsync(files[1].Handle, files[1].Data, Token));
        await faulty.SaveAsync(files[2].Handle, files[2].Data, Token);

        Assert.False(error.IsTransient);
        Assert.True(await store.ExistsAsync(files[0].Handle, Token));
        Assert.False(await store.ExistsAsync(files[1].Handle, Token));
        Assert.True(await store.ExistsAsync(files[2].Handle, Token));
    }

    [Fact]
    public async Task Fails_saves_once_the_byte_budget_is_spent()
    {
        var store = new InMemoryBackend();
        var faulty = new FaultyBackend(store) { SaveByteLimit = 250 };
        var (a, aData) = TestFiles.New(FileType.Pack, 200);
        var (b, bData) = TestFiles.New(FileType.Pack, 100);
        var (c, cData) = TestFiles.New(FileType.Pack, 50);

        await faulty.SaveAsync(a, aData, Token);
        var error = await Assert.ThrowsAsync<BackendException>(() => faulty.SaveAsync(b, bData, Token));
        await faulty.SaveAsync(c, cData, Token);

        Assert.Contains("no space left on device", error.Message, StringComparison.Ordinal);
        Assert.False(await store.ExistsAsync(b, Token));
        Assert.Equal(250, faulty.BytesSaved);
    }

    [Fact]
    public async Task Transient_faults_hit_only_the_chosen_operations_and_run_out()
    {
        var store = new InMemoryBackend();
        var faulty = new FaultyBackend(store) { TransientFailures = 2, TransientOperations = FaultOperations.Read };
        var (handle, data) = TestFiles.New(FileType.Index, 10);

        await faulty.SaveAsync(handle, data, Token);
        Assert.True((await Assert.ThrowsAsync<BackendException>(() => faulty.ReadAtAsync(handle, 0, new byte[10], Token))).IsTransient);
        Assert.True((await Assert.ThrowsAsync<BackendException>(() => faulty.ReadAtAsync(handle, 0, new byte[10], Token))).IsTransient);
        Assert.Equal(data, await faulty.ReadAllAsync(handle, Token));
        Assert.Equal(0, faulty.TransientFailures);
    }

    [Fact]
    public async Task Corrupts_reads_of_selected_files_by_flipping_one_byte()
    {
        var store = new InMemoryBackend();
        var (handle, data) = TestFiles.New(FileType.Pack, 100);
        await store.SaveAsync(handle, data, Token);
        var faulty = new FaultyBackend(store) { CorruptReads = h => h == handle };

        var read = await faulty.ReadAllAsync(handle, Token);

        Assert.Equal(1, read.Zip(data).Count(p => p.First != p.Second));
        Assert.Equal(data, await store.ReadAllAsync(handle, Token));
    }
}
