namespace Coffer.Core.Checker;

/// <summary>The packs chosen for reading: how they were chosen, how many and how large, out of how many.</summary>
public sealed record CheckReadPlan(ReadDataSubset Subset, int SelectedPacks, long SelectedBytes, int TotalPacks, long TotalBytes);
