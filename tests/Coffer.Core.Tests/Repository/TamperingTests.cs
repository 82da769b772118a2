using Coffer.Backends.Local;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Storage;
using Coffer.Testing;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Tests.Repository;

/// <summary>
/// Flipping any single byte of a repository file gives a clear error naming that file: never wrong
/// plaintext, never a crash. Works on a private copy of the restic fixture.
/// </summary>
public sealed class TamperingTests : IAsyncLifetime
{
    private string _copy = "";
    private Repo _repo = null!;

    public async ValueTask InitializeAsync()
    {
        _copy = Fixtures.CopyRepository();
        _repo = await Repo.OpenAsync(LocalBackend.Open(_copy), "fixture-password"u8.ToArray(), CancellationToken.None);
        await _repo.LoadIndexAsync(CancellationToken.None);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_copy, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static IEnumerable<byte[]> EveryFlip(byte[] original)
    {
        for (var i = 0; i < original.Length; i++)
        {
            var copy = (byte[])original.Clone();
            copy[i] ^= 0x01;
            yield return copy;
        }
    }

    /// <summary>Writes tampered bytes both under the original name and under the name matching the new bytes.</summary>
    private static async Task<(Id SameName, Id MatchingName)> PlantAsync(Id original, byte[] tampered, string folder)
    {
        var path = Path.Combine(folder, original.ToString());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllBytesAsync(path, tampered);
        var renamed = Id.Hash(tampered);
        var renamedPath = Path.Combine(folder, renamed.ToString());
        await File.WriteAllBytesAsync(renamedPath, tampered);
        return (original, renamed);
    }

    [Fact]
    public async Task EveryFlipOfTheConfigIsNamed()
    {
        var path = Path.Combine(_copy, "config");
        var original = await File.ReadAllBytesAsync(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        foreach (var tampered in EveryFlip(original))
        {
            await File.WriteAllBytesAsync(path, tampered);
            var e = await Assert.ThrowsAsync<RepositoryCorruptException>(() => Repo.LoadConfigAsync(_repo.Backend, _repo.Key, CancellationToken.None));
            Assert.Equal("config", e.File);
        }
        await File.WriteAllBytesAsync(path, original);
        Assert.Equal(2, (await Repo.LoadConfigAsync(_repo.Backend, _repo.Key, CancellationToken.None)).Version);
    }

    [Theory]
    [InlineData(FileType.Index, "index")]
    [InlineData(FileType.Snapshot, "snapshots")]
    public async Task EveryFlipOfAnUnpackedFileIsNamed(FileType type, string folderName)
    {
        var folder = Path.Combine(_copy, folderName);
        foreach (var id in await _repo.ListIdsAsync(type, CancellationToken.None))
        {
            var path = Path.Combine(folder, id.ToString());
            var original = await File.ReadAllBytesAsync(path);
            foreach (var tampered in EveryFlip(original))
            {
                var (same, renamed) = await PlantAsync(id, tampered, folder);
                var e1 = await Assert.ThrowsAsync<RepositoryCorruptException>(() => _repo.LoadUnpackedAsync(type, same, CancellationToken.None));
                Assert.Equal($"{folderName}/{same}", e1.File);
                // Even when the name matches the tampered bytes, the MAC catches it.
                var e2 = await Assert.ThrowsAsync<RepositoryCorruptException>(() => _repo.LoadUnpackedAsync(type, renamed, CancellationToken.None));
                Assert.Equal($"{folderName}/{renamed}", e2.File);
                Assert.Contains("verification failed", e2.Message, StringComparison.Ordinal);
                File.Delete(Path.Combine(folder, renamed.ToString()));
            }
            await File.WriteAllBytesAsync(path, original);
            Assert.NotEmpty(await _repo.LoadUnpackedAsync(type, id, CancellationToken.None));
        }
    }

    [Fact]
    public async Task TruncatedFilesAreNamed()
    {
        var id = (await _repo.ListIdsAsync(FileType.Index, CancellationToken.None))[0];
        var path = Path.Combine(_copy, "index", id.ToString());
        var original = await File.ReadAllBytesAsync(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        foreach (var length in new[] { 0, 1, 16, 31, 32, original.Length - 1 })
        {
            await File.WriteAllBytesAsync(path, original.AsSpan(0, length).ToArray());
            var e = await Assert.ThrowsAsync<RepositoryCorruptException>(() => _repo.LoadIndexFileAsync(id, CancellationToken.None));
            Assert.Equal($"index/{id}", e.File);
        }
    }

    [Fact]
    public async Task EveryFlipOfASmallPackIsNamedAndNeverYieldsWrongBytes()
    {
        var packs = _repo.Index.All().GroupBy(b => b.Pack).OrderBy(g => g.Sum(b => b.Blob.Length)).ToList();
        var smallest = packs[0];
        var name = smallest.Key.ToString();
        var path = Path.Combine(_copy, "data", name[..2], name);
        var original = await File.ReadAllBytesAsync(path);
        var expected = new Dictionary<BlobHandle, byte[]>();
        foreach (var b in smallest)
        {
            expected[b.Handle] = await _repo.LoadBlobAsync(b, CancellationToken.None);
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        foreach (var tampered in EveryFlip(original))
        {
            await File.WriteAllBytesAsync(path, tampered);
            var failures = 0;
            foreach (var b in smallest)
            {
                try
                {
                    var got = await _repo.LoadBlobAsync(b, CancellationToken.None);
                    Assert.Equal(expected[b.Handle], got);
                }
                catch (RepositoryCorruptException e)
                {
                    Assert.Equal($"data/{name}", e.File);
                    Assert.Equal(b.Handle.Id.ToString(), e.Blob);
                    failures++;
                }
            }
            try
            {
                var header = await PackReader.ReadHeaderAsync(_repo.Backend, _repo.Key, smallest.Key, null, true, CancellationToken.None);
                Assert.Equal(smallest.Count(), header.Count);
            }
            catch (RepositoryCorruptException e)
            {
                Assert.Equal($"data/{name}", e.File);
                failures++;
            }
            Assert.True(failures > 0, "a flipped byte went unnoticed");
        }
    }

    [Fact]
    public async Task MissingPackIsABackendNotFoundForBlobs()
    {
        var blob = _repo.Index.All()[0];
        var name = blob.Pack.ToString();
        File.Delete(Path.Combine(_copy, "data", name[..2], name));
        var e = await Assert.ThrowsAsync<RepositoryCorruptException>(() => _repo.LoadBlobAsync(blob.Handle, CancellationToken.None));
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlippedKeyFileIsNamedOrRejectedAsWrongPassword()
    {
        var keyPath = Directory.GetFiles(Path.Combine(_copy, "keys")).Single();
        var original = await File.ReadAllBytesAsync(keyPath);
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        foreach (var position in new[] { 0, 10, original.Length / 2, original.Length - 40, original.Length - 1 })
        {
            var tampered = (byte[])original.Clone();
            tampered[position] ^= 0x01;
            await File.WriteAllBytesAsync(keyPath, tampered);
            var e = await Assert.ThrowsAsync<RepositoryCorruptException>(() => Repo.OpenAsync(LocalBackend.Open(_copy), "fixture-password"u8.ToArray(), CancellationToken.None));
            Assert.StartsWith("keys/", e.File, StringComparison.Ordinal);
        }
    }
}
