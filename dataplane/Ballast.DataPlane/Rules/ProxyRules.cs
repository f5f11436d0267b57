using System.Collections.Frozen;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.StickTables;

namespace Ballast.DataPlane.Rules;

/// <summary>
/// The compiled layer-7 rules of one frontend or backend, built once per snapshot by <see cref="RuleCompiler"/>:
/// <c>use_backend</c> (frontend), <c>http-request</c> and <c>http-response</c> rules, the stick table, and for
/// backends cookie persistence and <c>stick on src</c>. Immutable; the stick table's contents survive swaps while
/// its definition stays the same.
/// </summary>
internal sealed class ProxyRules
{
    /// <summary>No rules at all.</summary>
    public static readonly ProxyRules None = new();

    /// <summary><c>use_backend</c> rules in order (frontend only).</summary>
    public UseBackendRuntime[] UseBackends { get; init; } = [];

    /// <summary><c>http-request</c> rules in order.</summary>
    public HttpRuleRuntime[] Request { get; init; } = [];

    /// <summary><c>http-response</c> rules in order.</summary>
    public HttpRuleRuntime[] Response { get; init; } = [];

    /// <summary>The proxy's <c>stick-table</c>, or null.</summary>
    public StickTable? Table { get; init; }

    /// <summary>The backend's <c>cookie</c>, or null.</summary>
    public CookieSettings? Cookie { get; init; }

    /// <summary>Servers by their <c>cookie</c> value (backends with <see cref="Cookie"/>).</summary>
    public FrozenDictionary<string, ServerRuntime> ServersByCookie { get; init; } = FrozenDictionary<string, ServerRuntime>.Empty;

    /// <summary>Whether the backend has <c>stick on src</c> (on <see cref="Table"/>).</summary>
    public bool StickOnSource { get; init; }

    /// <summary>Servers by name (backends with <see cref="StickOnSource"/>).</summary>
    public FrozenDictionary<string, ServerRuntime> ServersByName { get; init; } = FrozenDictionary<string, ServerRuntime>.Empty;

    /// <summary>Whether the backend picks servers by persistence before balancing.</summary>
    public bool HasPersistence => Cookie is not null || StickOnSource;

    /// <summary>Whether responses go through <see cref="HttpRuleSession"/>'s transformer (response rules or cookies).</summary>
    public bool TransformsResponses => Response.Length > 0 || Cookie is not null;
}
