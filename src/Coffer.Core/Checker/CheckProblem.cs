namespace Coffer.Core.Checker;

/// <summary>
/// One finding of <c>check</c>: what it is about (<see cref="Area"/> and the full id in <see cref="Subject"/>),
/// a one-line <see cref="Message"/> that names the subject, and for a tree every problem found in it in
/// <see cref="Details"/> (one line each, without the tree's id).
/// </summary>
public sealed record CheckProblem(CheckSeverity Severity, CheckArea Area, string Subject, string Message, IReadOnlyList<string> Details)
{
    /// <summary>How the message of the hint about a pack that no index lists ends.</summary>
    public const string UnreferencedPackText = "not referenced in any index";

    /// <summary>A finding without details.</summary>
    public CheckProblem(CheckSeverity severity, CheckArea area, string subject, string message)
        : this(severity, area, subject, message, [])
    {
    }
}
