using Coffer.Core.Primitives;

namespace Coffer.Core.Retention;

/// <summary>Which snapshot fields form a group (restic's <c>--group-by</c>).</summary>
public readonly record struct GroupBy(bool Host, bool Paths, bool Tags)
{
    /// <summary>restic's default for <c>forget</c>: host and paths.</summary>
    public static GroupBy Default => new(true, true, false);

    /// <summary>True when any field is used.</summary>
    public bool IsGrouped => Host || Paths || Tags;

    /// <summary>Parses <c>host,paths,tags</c> (singular forms too); an empty text means no grouping.</summary>
    /// <exception cref="CofferException">An unknown field.</exception>
    public static GroupBy Parse(string? text)
    {
        bool host = false, paths = false, tags = false;
        foreach (var part in (text ?? "").Split(','))
        {
            switch (part)
            {
                case "host":
                case "hosts":
                    host = true;
                    break;
                case "path":
                case "paths":
                    paths = true;
                    break;
                case "tag":
                case "tags":
                    tags = true;
                    break;
                case "":
                    break;
                default:
                    throw new CofferException($"unknown grouping option: '{part}'", "use host, paths and/or tags, separated by comma");
            }
        }
        return new GroupBy(host, paths, tags);
    }
}
