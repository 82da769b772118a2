using System.Threading.Channels;
using Coffer.Core.Interop;

namespace Coffer.Core.Restorer;

/// <summary>
/// Makes the restore's directories, each through its parent's handle from <see cref="TargetTree"/>: while planning
/// runs, on a background thread fed in pre-order (<see cref="MakeSoon"/>), and afterwards the rest
/// (<see cref="Ensure"/>, from <see cref="StructureWriter.CreateStructure"/>). Parents are followed by reference,
/// never through the plan's list, which planning is still growing.
/// </summary>
internal sealed class DirectoryMaker(RestoreOptions options, TargetTree target, RestoreCounters counters)
{
    private Channel<PlannedDirectory>? _planned;
    private Task? _maker;

    private const uint NewDirectoryMode = 0x1C0; // 0700 until the directory's own metadata is applied last

    /// <summary>A new directory's mode (0700 for one that only leads to selected paths).</summary>
    private static uint CreateMode(PlannedDirectory dir) => dir.Selected ? dir.Metadata.DirectoryCreateMode : NewDirectoryMode;

    /// <summary>
    /// Starts making the directories planning hands to <see cref="MakeSoon"/>, in the order it hands them over
    /// (pre-order, so a parent before its children), on one background thread: planning is mostly waiting on
    /// one core, and creating directories is kernel work on the other. <see cref="FinishMakingAsync"/> ends it.
    /// </summary>
    public void StartMaking(CancellationToken cancellationToken)
    {
        var planned = Channel.CreateUnbounded<PlannedDirectory>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _planned = planned;
        // A thread of its own, waiting synchronously: mkdirat blocks, and the pool's threads are planning's.
        _maker = Task.Factory.StartNew(() =>
        {
            var reader = planned.Reader;
            while (reader.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
            {
                while (reader.TryRead(out var dir))
                {
                    dir.Ready = Ensure(dir);
                }
            }
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// Hands a directory just planned to the background maker, if started, when it is selected (planning drops only
    /// directories that merely lead towards includes, and reuses their index), there was nothing in its place, and
    /// its parent is the target root or was handed too (so the parent is made first); others are left to
    /// <see cref="StructureWriter.CreateStructure"/>.
    /// </summary>
    public void MakeSoon(PlannedDirectory dir)
    {
        if (_planned is not null && dir.Selected && !dir.Existed && !dir.Blocked && dir.ParentDirectory is { } parent
            && (parent.ParentDirectory is null ? parent.Existed : parent.Handed))
        {
            dir.Handed = _planned.Writer.TryWrite(dir);
        }
    }

    /// <summary>Waits until the background maker has made everything handed to it (rethrows its failure).</summary>
    public async Task FinishMakingAsync()
    {
        if (_planned is null || _maker is null)
        {
            return;
        }
        _planned.Writer.TryComplete();
        await _maker.ConfigureAwait(false);
    }

    /// <summary>
    /// Puts directory <paramref name="dir"/> in place (made, or an existing one checked; a non-directory in its place
    /// is removed, never followed) and says whether it can be filled; failures are reported and mark it failed.
    /// </summary>
    public bool Ensure(PlannedDirectory dir)
    {
        // Parents by reference, never through the plan's list: this also runs while planning adds to it.
        if (dir.ParentDirectory is not { } parent)
        {
            return target.Root is not null;
        }
        if (parent.Failed)
        {
            dir.Failed = true;
            return false;
        }
        try
        {
            using var lease = target.Acquire(parent);
            // Nothing was there when planning (the common case of a fresh target): create it straight away, and look
            // at what is there only if something appeared since.
            if (!dir.Existed && !dir.Blocked)
            {
                if (PosixFileSystem.TryMakeDirectoryAt(lease.Handle, dir.Name, CreateMode(dir), out var made))
                {
                    dir.Made = true;
                    return true;
                }
                if (made != PosixErrors.Exists)
                {
                    throw new PosixException("mkdir", dir.DisplayPath, made);
                }
            }
            using (var existing = PosixFileSystem.TryOpenDirectoryAt(lease.Handle, dir.Name, out var errno))
            {
                if (existing is not null)
                {
                    return true;
                }
                if (errno is PosixErrors.NotDirectory or PosixErrors.Loop)
                {
                    if (options.Overwrite == OverwriteMode.Never)
                    {
                        dir.Failed = true;
                        if (dir.Selected)
                        {
                            counters.Done(dir.DisplayPath, RestoreAction.Unchanged, 0);
                        }
                        return false;
                    }
                    TargetTree.Remove(lease.Handle, dir.Name);
                    target.Forget(dir.Index);
                }
                else if (errno != PosixErrors.NoEntry)
                {
                    throw new PosixException("open", dir.DisplayPath, errno);
                }
            }
            PosixFileSystem.MakeDirectoryAt(lease.Handle, dir.Name, CreateMode(dir));
            dir.Made = true;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            dir.Failed = true;
            counters.Error(dir.DisplayPath, $"{dir.DisplayPath}: {e.Message}");
            return false;
        }
    }
}
