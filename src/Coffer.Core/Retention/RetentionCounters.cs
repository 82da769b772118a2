namespace Coffer.Core.Retention;

/// <summary>How many snapshots each count rule may still keep after a snapshot was judged (-1: unlimited).</summary>
public readonly record struct RetentionCounters(int Last, int Hourly, int Daily, int Weekly, int Monthly, int Yearly);
