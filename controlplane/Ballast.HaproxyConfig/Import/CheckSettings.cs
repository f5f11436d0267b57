namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// The proxy-level health check settings the model carries: the check kind (<c>option httpchk</c>, <c>option
/// tcp-check</c>, ...), the HTTP request (<c>option httpchk</c> arguments or <c>http-check send</c>), the
/// expected status (<c>http-check expect status</c>) and <c>timeout check</c> (manual, section 4.2).
/// </summary>
internal sealed record CheckSettings
{
    /// <summary>Nothing set.</summary>
    public static readonly CheckSettings None = new();

    /// <summary>Which check servers with <c>check</c> run; null = a TCP connect check (HAProxy's default).</summary>
    public Sourced<CheckKind>? Kind { get; init; }

    /// <summary>HTTP method; null = OPTIONS.</summary>
    public Sourced<string>? Method { get; init; }

    /// <summary>HTTP path; null = "/".</summary>
    public Sourced<string>? Path { get; init; }

    /// <summary>Expected status; null = any 2xx or 3xx.</summary>
    public Sourced<uint>? ExpectStatus { get; init; }

    /// <summary><c>http-check expect status &lt;list&gt;|rstatus &lt;regex&gt;|string &lt;text&gt;</c> other than one code; null = none.</summary>
    public Sourced<(Ballast.Proto.V1.HttpCheckExpect Kind, string Value)>? Expect { get; init; }

    /// <summary><c>timeout check</c> in milliseconds.</summary>
    public Sourced<uint>? TimeoutMs { get; init; }
}
