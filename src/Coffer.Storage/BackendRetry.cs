namespace Coffer.Storage;

/// <summary>One retry decided by <see cref="RetryBackend"/>, reported before it waits.</summary>
/// <param name="Operation">What failed: create, save, read, stat, list or delete.</param>
/// <param name="Handle">The file concerned, or null for create and list.</param>
/// <param name="Attempt">The attempt that failed (1 for the first).</param>
/// <param name="Delay">How long it waits before the next attempt.</param>
/// <param name="Error">The transient error of that attempt.</param>
public sealed record BackendRetry(string Operation, FileHandle? Handle, int Attempt, TimeSpan Delay, BackendException Error);
