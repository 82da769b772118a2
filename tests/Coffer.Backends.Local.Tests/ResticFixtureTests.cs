using System.Security.Cryptography;
using Coffer.Storage;
using Xunit;

namespace Coffer.Backends.Local.Tests;

/// <summary>
/// Reads the repository real restic made (../shared/fixtures/restic-v2/repo), which lacks <c>locks/</c>
/// and the empty <c>data/xx</c> folders. Only reads: the fixture is shared and must not change.
/// </summary>
public sealed class ResticFixtureTests
{
    private static readonly string FixturePath = Path.GetFullPath(
        Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/fixtures/restic-v2/repo"));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static IBackend OpenFixture()
    {
        var path = Environment.GetEnvironmentVariable("COFFER_RESTIC_FIXTURE") is { Length: > 0 } overridden
            ? overridden
            : File.Exists(FixturePath + "/config") ? FixturePath : "/work/shared/fixtures/restic-v2/repo";
        if (!File.Exists(Path.Combine(path, "config")))
        {
            Assert.Skip($"restic fixture not found at {path}");
        }
        // Read-only on purpose: a bug must not be able to write into the shared fixture.
        return new ReadOnlyBackend(LocalBackend.Open(path));
    }

    [Theory]
    [InlineData(FileType.Pack, 4)]
    [InlineData(FileType.Index, 2)]
    [InlineData(FileType.Snapshot, 2)]
    [InlineData(FileType.Key, 1)]
    [InlineData(FileType.Lock, 0)]
    public async Task Lists_each_type_of_the_restic_repository(FileType type, int count)
    {
        await using var backend = OpenFixture();
        var entries = new List<FileEntry>();
        await foreach (var entry in backend.ListAsync(type, Token))
        {
            entries.Add(entry);
        }

        Assert.Equal(count, entries.Count);
        foreach (var entry in entries)
        {
            var handle = new FileHandle(type, entry.Name);
            Assert.Equal(entry.Size, await backend.GetSizeAsync(handle, Token));
            var data = await backend.ReadAllAsync(handle, Token);
            Assert.Equal(entry.Size, data.Length);
            // Every file but config is named by the SHA-256 of its bytes.
            Assert.Equal(entry.Name, Convert.ToHexStringLower(SHA256.HashData(data)));
        }
    }

    [Fact]
    public async Task Reads_the_config_and_ranges_of_a_pack()
    {
        await using var backend = OpenFixture();
        Assert.True(await backend.ExistsAsync(FileHandle.Config, Token));
        Assert.Equal(155, (await backend.ReadAllAsync(FileHandle.Config, Token)).Length);

        await foreach (var entry in backend.ListAsync(FileType.Pack, Token))
        {
            var handle = new FileHandle(FileType.Pack, entry.Name);
            var whole = await backend.ReadAllAsync(handle, Token);
            var tail = new byte[4];
            await backend.ReadAtAsync(handle, entry.Size - 4, tail, Token);
            Assert.Equal(whole[^4..], tail);
        }
    }

    [Fact]
    public async Task Refuses_to_write_through_the_read_only_wrapper()
    {
        await using var backend = OpenFixture();
        await Assert.ThrowsAsync<BackendException>(() => backend.SaveAsync(new FileHandle(FileType.Lock, new string('a', 64)), new byte[] { 1 }, Token));
        await Assert.ThrowsAsync<BackendException>(() => backend.CreateAsync(Token));
    }
}
