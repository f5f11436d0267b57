using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// The layer-7 statements of one proxy section, in file order: <c>acl</c>, <c>use_backend</c>, <c>http-request</c>,
/// <c>http-response</c>, <c>stick-table</c>, <c>stick on</c> and <c>cookie</c>. Not inherited from <c>defaults</c>.
/// </summary>
internal sealed class ProxyRules
{
    /// <summary>Named ACLs.</summary>
    public List<Acl> Acls { get; } = [];

    /// <summary><c>use_backend</c> rules (frontend side).</summary>
    public List<UseBackendRule> UseBackends { get; } = [];

    /// <summary>Where each <c>use_backend</c> names its backend (same order as <see cref="UseBackends"/>).</summary>
    public List<Sourced<string>> UseBackendSources { get; } = [];

    /// <summary><c>http-request</c> rules.</summary>
    public List<HttpRule> HttpRequest { get; } = [];

    /// <summary><c>http-response</c> rules.</summary>
    public List<HttpRule> HttpResponse { get; } = [];

    /// <summary>The <c>stick-table</c>, or null.</summary>
    public StickTable? StickTable { get; set; }

    /// <summary>The <c>stick on</c> pattern, or empty.</summary>
    public string StickOn { get; set; } = string.Empty;

    /// <summary>The <c>cookie</c> persistence, or null.</summary>
    public CookiePersistence? Cookie { get; set; }
}
