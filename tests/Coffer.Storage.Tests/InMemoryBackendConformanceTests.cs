using Coffer.Storage;
using Coffer.Testing;

namespace Coffer.Storage.Tests;

/// <summary>The backend contract, checked against the in-memory test backend.</summary>
public sealed class InMemoryBackendConformanceTests : BackendConformanceTests
{
    protected override Task<IBackend> OpenEmptyBackendAsync() => Task.FromResult<IBackend>(new InMemoryBackend());

    protected override bool TryInterruptSaves(IBackend backend, Func<FileHandle, CancellationToken, ValueTask> interruption)
    {
        ((InMemoryBackend)backend).BeforeCommit = interruption;
        return true;
    }

    protected override bool TryPlantForeignFile(IBackend backend, FileType type, string name, byte[] data)
    {
        ((InMemoryBackend)backend).PutForeign(type, name, data);
        return true;
    }
}
