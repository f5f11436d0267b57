using System.Collections.Frozen;
using Ballast.ControlPlane.Model;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Validation;

/// <summary>
/// Features of the ballast.v1 model that data-plane nodes do not implement yet. This is the one list to edit
/// when the data plane gains a feature: a configuration using anything listed here is rejected at publish
/// with "'&lt;word&gt;' is not supported by nodes yet".
/// </summary>
internal static class NodeSupport
{
    /// <summary>Proxy modes nodes cannot serve yet (frontends and backends): none, nodes serve http and tcp.</summary>
    public static readonly FrozenSet<Mode> UnsupportedModes = FrozenSet<Mode>.Empty;

    /// <summary>
    /// Balance algorithms nodes implement (dataplane Config/SnapshotValidator); every other one is rejected. Nodes
    /// implement every algorithm of the model.
    /// </summary>
    public static readonly FrozenSet<Balance> SupportedBalances = Enum.GetValues<Balance>().ToFrozenSet();

    /// <summary>
    /// Layer 7 (dataplane Rules/RuleCompiler): ACL fetches and predefined ACLs are <c>Ballast.HaproxyConfig.Rules.FetchCatalog</c>;
    /// every action of the model runs in <c>http-request</c>, these in <c>http-response</c>. Mode tcp proxies take no
    /// layer-7 settings (refused by <c>Layer7Rules</c>).
    /// </summary>
    public static readonly FrozenSet<HttpAction> HttpResponseActions =
        new[] { HttpAction.SetHeader, HttpAction.AddHeader, HttpAction.DelHeader, HttpAction.Allow }.ToFrozenSet();

    /// <summary>Patterns of <c>stick on</c> nodes implement.</summary>
    public static readonly FrozenSet<string> StickOnPatterns = new[] { "src" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The message for an unsupported feature value.</summary>
    public static string NotSupported<TEnum>(TEnum value)
        where TEnum : struct, Enum => $"'{HaproxyWords.ToWord(value)}' is not supported by nodes yet";
}
