using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Core.Checker;

/// <summary>One check run's shared state: the repository, options, the result and the serialised report.</summary>
internal sealed class CheckContext(Repository.Repository repository, CheckOptions options, ICheckReport report)
{
    private readonly Lock _lock = new();

    public Repository.Repository Repository { get; } = repository;

    public CheckOptions Options { get; } = options;

    public CheckResult Result { get; } = new();

    public void Phase(CheckPhase phase)
    {
        lock (_lock)
        {
            report.Phase(phase);
        }
    }

    public void ReadPlanned(CheckReadPlan plan)
    {
        lock (_lock)
        {
            report.ReadPlanned(plan);
        }
    }

    public void PackRead(int done, int total)
    {
        lock (_lock)
        {
            report.PackRead(done, total);
        }
    }

    public void Error(CheckArea area, string subject, string message, IReadOnlyList<string>? details = null) =>
        Add(new CheckProblem(CheckSeverity.Error, area, subject, message, details ?? []));

    public void Hint(CheckArea area, string subject, string message) =>
        Add(new CheckProblem(CheckSeverity.Hint, area, subject, message));

    private void Add(CheckProblem problem)
    {
        lock (_lock)
        {
            if (problem.Severity == CheckSeverity.Error)
            {
                Result.Errors++;
            }
            else
            {
                Result.Hints++;
            }
            report.Problem(problem);
        }
    }

    /// <summary>Adds the counts of a step that ran with a context of its own (read-data alongside the structure step).</summary>
    public void Merge(CheckResult other)
    {
        lock (_lock)
        {
            Result.Errors += other.Errors;
            Result.Hints += other.Hints;
            Result.PacksRead += other.PacksRead;
            Result.BytesRead += other.BytesRead;
        }
    }

    /// <summary>The message of a failure while reading the repository, without a stack trace.</summary>
    public static string Describe(Exception e) => e switch
    {
        CofferException or BackendException => e.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
