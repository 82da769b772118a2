using Coffer.Core.Checker;

namespace Coffer.Core.Tests.Checker;

/// <summary>Keeps everything a check reports, for assertions.</summary>
internal sealed class RecordingCheckReport : ICheckReport
{
    public List<CheckPhase> Phases { get; } = [];

    public List<CheckProblem> Problems { get; } = [];

    public CheckReadPlan? Plan { get; private set; }

    public int PacksRead { get; private set; }

    public IEnumerable<CheckProblem> Errors => Problems.Where(p => p.Severity == CheckSeverity.Error);

    public IEnumerable<CheckProblem> Hints => Problems.Where(p => p.Severity == CheckSeverity.Hint);

    /// <summary>Every error as text, a tree's details included.</summary>
    public string ErrorText => string.Join("\n", Errors.Select(e => e.Message + string.Concat(e.Details.Select(d => "\n  " + d))));

    public void Phase(CheckPhase phase) => Phases.Add(phase);

    public void ReadPlanned(CheckReadPlan plan) => Plan = plan;

    public void Problem(CheckProblem problem) => Problems.Add(problem);

    public void PackRead(int done, int total) => PacksRead = done;
}
