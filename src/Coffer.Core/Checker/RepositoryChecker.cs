using Coffer.Core.Primitives;
using Coffer.Storage;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Checker;

/// <summary>
/// <c>check</c>: verifies a repository's consistency without changing it. Loads every index file, compares the
/// index with the pack files (existence, sizes, headers), walks every snapshot's trees (every referenced blob
/// must be indexed, trees must parse, node names must be clean) and optionally reads packs whole to verify
/// every blob. Findings go to the <see cref="ICheckReport"/> as they are made; the checker carries on after
/// each one. Does not take a lock: the caller holds one (shared suffices; a backup may run alongside).
/// </summary>
public static class RepositoryChecker
{
    /// <summary>
    /// Runs the check. Throws only on cancellation or when the repository cannot be listed at all; every damage
    /// found is reported and counted in the result instead.
    /// </summary>
    public static async Task<CheckResult> CheckAsync(Repo repository, CheckOptions options, ICheckReport report, CancellationToken cancellationToken)
    {
        var context = new CheckContext(repository, options, report);
        context.Phase(CheckPhase.LoadIndexes);
        var index = await LoadIndexesAsync(context, cancellationToken).ConfigureAwait(false);

        context.Phase(CheckPhase.Packs);
        var stored = await PackChecker.CheckAsync(context, index, cancellationToken).ConfigureAwait(false);

        if (options.ReadData is not { } subset)
        {
            context.Phase(CheckPhase.Structure);
            await StructureChecker.CheckAsync(context, index, cancellationToken).ConfigureAwait(false);
            return context.Result;
        }

        // Read-data starts alongside the structure step (the tree walk leaves part of the processors idle); what it
        // reports is held back until the structure step is done, so the report still reads step by step.
        var deferred = new DeferredCheckReport(report);
        var reader = new CheckContext(repository, options, deferred);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => PackDataVerifier.ReadAsync(reader, index, stored, subset, stop.Token), stop.Token);
        try
        {
            context.Phase(CheckPhase.Structure);
            await StructureChecker.CheckAsync(context, index, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await reading.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped with the structure step.
            }
            throw;
        }
        context.Phase(CheckPhase.ReadData);
        deferred.Release();
        await reading.ConfigureAwait(false);
        context.Merge(reader.Result);
        return context.Result;
    }

    private static async Task<CheckedIndex> LoadIndexesAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var (index, files) = await CheckedIndex.LoadAsync(context.Repository,
            (id, e) => context.Error(CheckArea.Index, id.ToString(), $"index {id}: could not be loaded: {Problem(e)}"), cancellationToken).ConfigureAwait(false);
        context.Result.IndexFiles = files;
        context.Result.IndexedPacks = index.Packs.Count;
        return index;
    }

    /// <summary>
    /// The problem an exception describes, without the file name a <see cref="RepositoryCorruptException"/> puts in
    /// front (the caller names the file its own way).
    /// </summary>
    internal static string Problem(Exception e)
    {
        if (e is RepositoryCorruptException rc && rc.Message.StartsWith(rc.File + ": ", StringComparison.Ordinal))
        {
            return rc.Message[(rc.File.Length + 2)..];
        }
        return CheckContext.Describe(e);
    }
}
