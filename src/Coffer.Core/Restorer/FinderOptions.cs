using Coffer.Core.Primitives;

namespace Coffer.Core.Restorer;

/// <summary>
/// What <see cref="SnapshotFinder.FindAsync"/> looks for: nodes whose path matches any of the patterns (restic's
/// exclude-pattern semantics, see <see cref="Archiver.Filters.PathPattern"/>: <c>*.txt</c> matches at any depth,
/// <c>/src/x</c> only from the root, and a pattern that matches a directory matches everything below it), and
/// whose mtime is within the optional bounds (inclusive).
/// </summary>
/// <param name="Patterns">The patterns; at least one.</param>
/// <param name="IgnoreCase">Compare pattern and path lower-cased.</param>
/// <param name="Oldest">Leave out nodes modified before this.</param>
/// <param name="Newest">Leave out nodes modified after this.</param>
public sealed record FinderOptions(IReadOnlyList<string> Patterns, bool IgnoreCase, GoTime? Oldest, GoTime? Newest);
