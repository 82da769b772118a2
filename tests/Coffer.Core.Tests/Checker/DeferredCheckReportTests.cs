using Coffer.Core.Checker;

namespace Coffer.Core.Tests.Checker;

/// <summary>Reports of a step running ahead wait for their turn and arrive in order.</summary>
public sealed class DeferredCheckReportTests
{
    private sealed class Log : ICheckReport
    {
        public List<string> Lines { get; } = [];

        public void Phase(CheckPhase phase) => Lines.Add($"phase {phase}");

        public void ReadPlanned(CheckReadPlan plan) => Lines.Add($"plan {plan.SelectedPacks}");

        public void Problem(CheckProblem problem) => Lines.Add($"problem {problem.Message}");

        public void PackRead(int done, int total) => Lines.Add($"read {done}/{total}");
    }

    [Fact]
    public void HeldUntilReleasedThenForwardedInOrder()
    {
        var log = new Log();
        var deferred = new DeferredCheckReport(log);
        deferred.ReadPlanned(new CheckReadPlan(ReadDataSubset.All, 3, 30, 3, 30));
        deferred.PackRead(1, 3);
        deferred.PackRead(2, 3);
        deferred.Problem(new CheckProblem(CheckSeverity.Error, CheckArea.Pack, "p", "bad pack", []));
        Assert.Empty(log.Lines);

        log.Phase(CheckPhase.ReadData);
        deferred.Release();
        deferred.PackRead(3, 3);
        Assert.Equal(["phase ReadData", "plan 3", "read 2/3", "problem bad pack", "read 3/3"], log.Lines);
    }
}
