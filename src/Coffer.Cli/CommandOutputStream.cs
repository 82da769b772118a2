using System.Diagnostics;
using Coffer.Core.Primitives;

namespace Coffer.Cli;

/// <summary>
/// The standard output of a started command (<c>backup --stdin-from-command</c>), read once from start to
/// end. The read that reaches the end waits for the command and throws <see cref="CofferException"/> when it
/// exited non-zero, so the backup fails before any snapshot refers to a failed command's output (restic
/// does the same). Does not own the process.
/// </summary>
internal sealed class CommandOutputStream(Process process, string name) : Stream
{
    private readonly Stream _output = process.StandardOutput.BaseStream;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = _output.Read(buffer, offset, count);
        if (n == 0 && count > 0)
        {
            process.WaitForExit();
            ThrowIfFailed();
        }
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _output.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (n == 0 && buffer.Length > 0)
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            ThrowIfFailed();
        }
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void ThrowIfFailed()
    {
        if (process.ExitCode != 0)
        {
            throw new CofferException($"the command {name} exited with code {process.ExitCode}; no snapshot was kept from its output");
        }
    }
}
