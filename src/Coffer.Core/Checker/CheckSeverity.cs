namespace Coffer.Core.Checker;

/// <summary>How serious a finding of <c>check</c> is.</summary>
public enum CheckSeverity
{
    /// <summary>The repository is damaged or inconsistent; <c>check</c> fails.</summary>
    Error,

    /// <summary>Worth knowing, not damage (duplicate blobs, packs no index lists); <c>check</c> still passes.</summary>
    Hint,
}
