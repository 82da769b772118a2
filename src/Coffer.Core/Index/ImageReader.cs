namespace Coffer.Core.Index;

/// <summary>
/// Supplies bytes [<paramref name="offset"/>, <paramref name="offset"/> + <c>destination.Length</c>) of a
/// <see cref="MasterIndex"/> image into <paramref name="destination"/>; the range is always inside the image.
/// </summary>
public delegate void ImageReader(long offset, Span<byte> destination);
