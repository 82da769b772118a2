using System.Diagnostics;
using System.Globalization;
using Coffer.Core.Checker;

namespace Coffer.Cli.Rendering;

/// <summary>
/// Renders <c>check</c> as restic does: the steps and hints on standard output (not with <c>--quiet</c>), errors
/// on standard error as they are found, a tree's problems under one "error for tree" line, and on a terminal a
/// live count of the packs read. Duplicate blobs are listed one by one only with <c>--verbose</c>. The checker
/// serialises its calls, so this class holds no lock.
/// </summary>
internal sealed class CheckView(TextWriter output, TextWriter error, bool quiet, bool verbose, bool terminal) : ICheckReport
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _unreferenced, _duplicates;
    private bool _progressShown;
    private CheckPhase? _phase;

    public void Phase(CheckPhase phase)
    {
        EndProgress();
        if (_phase == CheckPhase.Packs)
        {
            SummarizePacks();
        }
        _phase = phase;
        var text = phase switch
        {
            CheckPhase.LoadIndexes => "load indexes",
            CheckPhase.Packs => "check all packs",
            CheckPhase.Structure => "check snapshots, trees and blobs",
            _ => null,
        };
        if (text is not null)
        {
            Say(text);
        }
    }

    public void ReadPlanned(CheckReadPlan plan)
    {
        var subset = plan.Subset;
        Say(subset.Kind switch
        {
            ReadDataSubsetKind.All => "read all data",
            ReadDataSubsetKind.Group when plan.SelectedPacks < plan.TotalPacks =>
                $"read group #{subset.Group} of {plan.SelectedPacks} data packs (out of total {plan.TotalPacks} packs in {subset.Groups} groups)",
            ReadDataSubsetKind.Group => "read all data",
            ReadDataSubsetKind.Percentage =>
                $"read {subset.Percentage.ToString("0.0", CultureInfo.InvariantCulture)}% of data packs ({plan.SelectedPacks} of {plan.TotalPacks} packs)",
            _ => $"read {ByteSize.Format(Math.Min(subset.Bytes, plan.TotalBytes))} of data packs ({plan.SelectedPacks} of {plan.TotalPacks} packs, {ByteSize.Format(plan.SelectedBytes)})",
        });
    }

    public void Problem(CheckProblem problem)
    {
        EndProgress();
        if (problem.Severity == CheckSeverity.Hint)
        {
            if (problem.Area == CheckArea.Pack && problem.Message.EndsWith(CheckProblem.UnreferencedPackText, StringComparison.Ordinal))
            {
                _unreferenced++;
                Say(problem.Message);
            }
            else if (problem.Area == CheckArea.Blob)
            {
                _duplicates++;
                if (verbose && !quiet)
                {
                    output.WriteLine(problem.Message);
                }
            }
            else
            {
                Say(problem.Message);
            }
            return;
        }
        switch (problem.Area)
        {
            case CheckArea.Tree:
                error.WriteLine($"error for tree {problem.Subject[..8]}:");
                foreach (var detail in problem.Details)
                {
                    error.WriteLine("  " + detail);
                }
                break;
            case CheckArea.Index or CheckArea.Snapshot:
                error.WriteLine("error: " + problem.Message);
                break;
            default:
                error.WriteLine(problem.Message);
                break;
        }
    }

    public void PackRead(int done, int total)
    {
        if (!terminal || quiet)
        {
            return;
        }
        var elapsed = _clock.Elapsed;
        var percent = total == 0 ? 100.0 : 100.0 * done / total;
        output.Write($"\r[{(int)elapsed.TotalMinutes}:{elapsed.Seconds:00}] {percent.ToString("0.00", CultureInfo.InvariantCulture)}%  {done} / {total} packs");
        output.Flush();
        _progressShown = true;
    }

    /// <summary>Ends the run: the last summaries and the verdict line (the exit code is the caller's).</summary>
    public void Finish(CheckResult result)
    {
        EndProgress();
        if (_phase == CheckPhase.Packs)
        {
            SummarizePacks();
        }
        if (verbose && result.UnusedBlobs > 0)
        {
            Say($"{result.UnusedBlobs} blobs in the index are not used by any snapshot; prune would remove them");
        }
        if (result.IsHealthy)
        {
            Say("no errors were found");
        }
        else
        {
            error.WriteLine("Fatal: repository contains errors");
        }
    }

    private void SummarizePacks()
    {
        if (_duplicates > 0)
        {
            Say($"{_duplicates} blobs are stored in more than one pack. This is harmless; prune removes the extra copies.");
        }
        if (_unreferenced > 0)
        {
            Say($"{_unreferenced} pack files are not referenced by any index; they probably hold data that is stored elsewhere too.\n"
                + "This is not damage: prune removes them, and a rebuilt index (repair index) would list them.");
        }
    }

    private void EndProgress()
    {
        if (_progressShown)
        {
            output.WriteLine();
            _progressShown = false;
        }
    }

    private void Say(string text)
    {
        if (!quiet)
        {
            output.WriteLine(text);
        }
    }
}
