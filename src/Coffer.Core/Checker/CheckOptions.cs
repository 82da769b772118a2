namespace Coffer.Core.Checker;

/// <summary>What <see cref="RepositoryChecker.CheckAsync"/> does beyond the structural checks.</summary>
public sealed class CheckOptions
{
    /// <summary>Packs to read and verify blob by blob; null reads none.</summary>
    public ReadDataSubset? ReadData { get; init; }

    /// <summary>Report every indexed blob no snapshot uses, as an error (restic's <c>--check-unused</c>).</summary>
    public bool CheckUnused { get; init; }

    /// <summary>Pack headers read at once (small ranged reads, bound by latency).</summary>
    public int HeaderReaders { get; init; } = 8;

    /// <summary>Trees loaded at once.</summary>
    public int TreeLoaders { get; init; } = 8;

    /// <summary>Packs read whole at once in the read-data step; each holds one window buffer.</summary>
    public int PackReaders { get; init; } = Math.Clamp(Environment.ProcessorCount, 2, 4);

    /// <summary>Source of randomness for the random subsets (tests pass a seeded one).</summary>
    public Random Random { get; init; } = Random.Shared;
}
