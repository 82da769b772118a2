using System.CommandLine;
using Coffer.Core.Archiver.Filters;
using Coffer.Core.Maintenance;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;

namespace Coffer.Cli.Commands;

/// <summary>restic's prune options, shared by <c>prune</c> and <c>forget --prune</c>.</summary>
internal sealed class PruneFlags
{
    public Option<string> MaxUnused { get; } = new("--max-unused") { Description = "tolerate given limit of unused data (absolute value in bytes with suffixes k/K, m/M, g/G, t/T, a value in % or the word 'unlimited')", DefaultValueFactory = _ => "5%" };
    public Option<string?> MaxRepackSize { get; } = new("--max-repack-size") { Description = "maximum size to repack (allowed suffixes: k/K, m/M, g/G, t/T)" };
    public Option<bool> RepackCacheableOnly { get; } = new("--repack-cacheable-only") { Description = "only repack packs which are cacheable" };
    public Option<bool> RepackSmall { get; } = new("--repack-small") { Description = "repack pack files below 80% of target pack size" };
    public Option<bool> RepackUncompressed { get; } = new("--repack-uncompressed") { Description = "repack all uncompressed data" };
    public Option<string?> RepackSmallerThan { get; } = new("--repack-smaller-than") { Description = "pack below-limit packfiles (allowed suffixes: k/K, m/M)" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { MaxUnused, MaxRepackSize, RepackCacheableOnly, RepackSmall, RepackUncompressed, RepackSmallerThan })
        {
            command.Options.Add(o);
        }
    }

    /// <summary>Builds the options, or throws a one-line <see cref="CofferException"/> naming the bad value.</summary>
    public PruneOptions Build(ParseResult result, Settings settings, bool dryRun)
    {
        var maxUnused = Coffer.Core.Maintenance.MaxUnused.Parse(result.GetValue(MaxUnused) ?? "");
        var maxRepack = long.MaxValue;
        if (result.GetValue(MaxRepackSize) is { } repackText)
        {
            maxRepack = Size(repackText, "--max-repack-size");
        }
        long? small = null;
        if (result.GetValue(RepackSmallerThan) is { } smallText)
        {
            small = Size(smallText, "--repack-smaller-than");
            if (small <= 0)
            {
                throw new CofferException("--repack-smaller-than must be larger than zero");
            }
            if (small > PackLayout.DefaultPackSize)
            {
                throw new CofferException("--repack-smaller-than exceeds repository packsize", $"new packs are {PackLayout.DefaultPackSize >> 20} MiB");
            }
        }
        var uncompressed = result.GetValue(RepackUncompressed);
        if (uncompressed && string.Equals(settings.Compression, "off", StringComparison.OrdinalIgnoreCase))
        {
            throw new CofferException("disabled compression and `--repack-uncompressed` are mutually exclusive");
        }
        return new PruneOptions
        {
            DryRun = dryRun,
            MaxUnused = maxUnused,
            MaxRepackBytes = maxRepack,
            SmallPackBytes = small,
            RepackSmall = result.GetValue(RepackSmall),
            RepackCacheableOnly = result.GetValue(RepackCacheableOnly),
            RepackUncompressed = uncompressed,
        };
    }

    private static long Size(string text, string flag)
    {
        if (!ExcludeLargerThan.TryParseSize(text.Trim(), out var value))
        {
            throw new CofferException($"invalid size \"{text}\" for {flag}", "use a number with an optional k, m, g or t suffix");
        }
        return value;
    }
}
