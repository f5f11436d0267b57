using Ballast.HaproxyConfig.Rules;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Checks the fetches of an imported ACL or condition against <see cref="FetchCatalog"/>: the model holds only those
/// fetches, with the argument each takes (a header/parameter name, a stick counter <c>0</c>, or none — so a fetch
/// naming another proxy's table, such as <c>sc0_inc_gpc0(http)</c>, is not in the model).
/// </summary>
internal static class FetchCheck
{
    /// <summary>The first fetch of <paramref name="acl"/> the model does not hold, with the reason; null when all fit.</summary>
    public static (string Fetch, string Reason)? Find(Acl acl)
    {
        var text = acl.FetchArg.Length > 0 ? $"{acl.Fetch}({acl.FetchArg})" : acl.Fetch;
        if (!FetchCatalog.Fetches.TryGetValue(acl.Fetch, out var info))
        {
            return (acl.Fetch, $"unsupported: fetch '{acl.Fetch}' is not in the Ballast model yet (it holds {string.Join(", ", FetchCatalog.Fetches.Keys)})");
        }

        var fits = info.Argument switch
        {
            FetchArgument.None => acl.FetchArg.Length == 0,
            FetchArgument.Name => acl.FetchArg.Length > 0,
            _ => acl.FetchArg == "0",
        };
        return fits ? null : (acl.Fetch, $"unsupported: '{text}' is not in the Ballast model yet ({info.Argument switch
        {
            FetchArgument.None => "this fetch takes no argument there, such as a table name",
            FetchArgument.Name => "this fetch needs a name argument",
            _ => "the only stick counter is 0",
        }})");
    }

    /// <summary>The first inline fetch of <paramref name="condition"/> the model does not hold; null when all fit.</summary>
    public static (string Fetch, string Reason)? Find(Condition? condition) =>
        condition?.Any.SelectMany(g => g.Terms).Where(t => t.Inline is not null).Select(t => Find(t.Inline)).FirstOrDefault(f => f is not null);
}
