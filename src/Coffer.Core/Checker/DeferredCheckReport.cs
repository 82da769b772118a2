namespace Coffer.Core.Checker;

/// <summary>
/// Holds back what a step running ahead of its turn reports, and passes it on, in order, once
/// <see cref="Release"/> is called; after that it forwards at once. Lets read-data run alongside the structure step
/// while the report still shows the steps one after the other. Thread-safe.
/// </summary>
internal sealed class DeferredCheckReport(ICheckReport inner) : ICheckReport
{
    private readonly Lock _lock = new();
    private List<Action<ICheckReport>>? _held = [];

    public void Phase(CheckPhase phase) => Forward(r => r.Phase(phase));

    public void ReadPlanned(CheckReadPlan plan) => Forward(r => r.ReadPlanned(plan));

    public void Problem(CheckProblem problem) => Forward(r => r.Problem(problem));

    public void PackRead(int done, int total)
    {
        lock (_lock)
        {
            if (_held is not null)
            {
                // Only the latest count matters while held.
                if (_held.Count > 0 && _held[^1].Target is PackCount last)
                {
                    last.Done = done;
                    return;
                }
                var count = new PackCount { Done = done, Total = total };
                _held.Add(count.Report);
                return;
            }
            inner.PackRead(done, total);
        }
    }

    /// <summary>Passes on everything held, then forwards from now on.</summary>
    public void Release()
    {
        lock (_lock)
        {
            foreach (var call in _held ?? [])
            {
                call(inner);
            }
            _held = null;
        }
    }

    private void Forward(Action<ICheckReport> call)
    {
        lock (_lock)
        {
            if (_held is not null)
            {
                _held.Add(call);
                return;
            }
            call(inner);
        }
    }

    private sealed class PackCount
    {
        public int Done { get; set; }

        public int Total { get; init; }

        public void Report(ICheckReport report) => report.PackRead(Done, Total);
    }
}
