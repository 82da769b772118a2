using Coffer.Core.Packing;

namespace Coffer.Core.Restorer;

/// <summary>
/// A blob to read from one pack, decrypted once and written to every place that uses it. Most blobs have one
/// use, held inline; a list is made only for the further uses of a shared blob.
/// </summary>
internal sealed class BlobWork(PackedBlob blob)
{
    private BlobUse _first;
    private List<BlobUse>? _more;

    /// <summary>Where it is in the pack.</summary>
    public PackedBlob Blob { get; } = blob;

    /// <summary>How many places need it.</summary>
    public int UseCount => _first.Entry is null ? 0 : 1 + (_more?.Count ?? 0);

    /// <summary>Every file and offset that needs it, in the order they were added.</summary>
    public IEnumerable<BlobUse> Uses
    {
        get
        {
            for (var i = 0; i < UseCount; i++)
            {
                yield return Use(i);
            }
        }
    }

    /// <summary>Use number <paramref name="index"/> (0 to <see cref="UseCount"/> - 1).</summary>
    public BlobUse Use(int index) => index == 0 ? _first : _more![index - 1];

    /// <summary>Adds a place that needs the blob.</summary>
    public void AddUse(BlobUse use)
    {
        if (_first.Entry is null)
        {
            _first = use;
        }
        else
        {
            (_more ??= []).Add(use);
        }
    }

    /// <summary>True when every file that needs the blob has failed already (nothing left to write).</summary>
    public bool AllUsesFailed()
    {
        for (var i = 0; i < UseCount; i++)
        {
            if (!Use(i).Entry.Failed)
            {
                return false;
            }
        }
        return true;
    }
}
