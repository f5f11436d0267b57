using System.Diagnostics.CodeAnalysis;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Model;

/// <summary>A frontend as the admin API shows and accepts it (HAProxy <c>frontend</c> section).</summary>
public sealed record FrontendSpec
{
    /// <summary>Unique name; on PUT the URL name wins and a different body name is an error.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Proxy mode, <c>http</c> or <c>tcp</c>.</summary>
    public Mode Mode { get; init; } = Mode.Http;

    /// <summary>Listening addresses as <c>address:port</c> (<c>[v6]:port</c>, <c>*:port</c>).</summary>
    public IReadOnlyList<string> Binds { get; init; } = [];

    /// <summary>Backend used when no rule matches.</summary>
    public string DefaultBackend { get; init; } = string.Empty;

    /// <summary>Concurrent connections accepted; 0 = unlimited.</summary>
    public uint Maxconn { get; init; }
}

/// <summary>A backend as the admin API shows and accepts it (HAProxy <c>backend</c> section).</summary>
public sealed record BackendSpec
{
    /// <summary>Unique name; on PUT the URL name wins and a different body name is an error.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Proxy mode, <c>http</c> or <c>tcp</c>.</summary>
    public Mode Mode { get; init; } = Mode.Http;

    /// <summary>Load-balancing algorithm (HAProxy <c>balance</c> keyword).</summary>
    public Balance Balance { get; init; } = Balance.Roundrobin;

    /// <summary>Active health check of the servers that have <c>check</c> set; null in a request means none.</summary>
    [AllowNull]
    public HealthCheckSpec HealthCheck { get; init => field = value ?? new(); } = new();

    /// <summary>Servers; on PUT, null keeps the existing servers and a list replaces them.</summary>
    public IReadOnlyList<ServerSpec>? Servers { get; init; }
}

/// <summary>Health check settings of a backend; zero values mean HAProxy's defaults.</summary>
public sealed record HealthCheckSpec
{
    /// <summary><c>none</c>, <c>tcp</c> or <c>http</c>.</summary>
    public HealthCheckType Type { get; init; } = HealthCheckType.HealthCheckNone;

    /// <summary>HTTP method; empty = OPTIONS (HAProxy <c>option httpchk</c> default).</summary>
    public string Method { get; init; } = string.Empty;

    /// <summary>HTTP path, starting with '/'; empty = "/".</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>Expected HTTP status; 0 = any 2xx or 3xx.</summary>
    public uint ExpectStatus { get; init; }

    /// <summary>Interval between checks, ms; 0 = 2000.</summary>
    public uint InterMs { get; init; }

    /// <summary>Successes to mark a server UP; 0 = 2.</summary>
    public uint Rise { get; init; }

    /// <summary>Failures to mark a server DOWN; 0 = 3.</summary>
    public uint Fall { get; init; }

    /// <summary>Check timeout, ms; 0 = the interval.</summary>
    public uint TimeoutMs { get; init; }
}

/// <summary>A server of a backend as the admin API shows and accepts it (HAProxy <c>server</c> line).</summary>
public sealed record ServerSpec
{
    /// <summary>Unique within its backend; on PUT the URL name wins.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>IP literal or host name.</summary>
    public string Address { get; init; } = string.Empty;

    /// <summary>TCP port, 1-65535.</summary>
    public uint Port { get; init; }

    /// <summary>Weight 0-256 (HAProxy default 1).</summary>
    public uint Weight { get; init; } = 1;

    /// <summary>Concurrent requests sent to this server; 0 = unlimited.</summary>
    public uint Maxconn { get; init; }

    /// <summary>Administrative state: <c>ready</c>, <c>drain</c> or <c>maint</c>.</summary>
    public ServerState State { get; init; } = ServerState.Ready;

    /// <summary>Whether the backend's health check applies (HAProxy <c>check</c>).</summary>
    public bool Check { get; init; }
}

/// <summary>A partial change to a server (PATCH); null members are left as they are.</summary>
public sealed record ServerPatch
{
    /// <summary>New weight, 0-256.</summary>
    public uint? Weight { get; init; }

    /// <summary>New administrative state.</summary>
    public ServerState? State { get; init; }

    /// <summary>New maxconn; 0 = unlimited.</summary>
    public uint? Maxconn { get; init; }

    /// <summary>New address.</summary>
    public string? Address { get; init; }

    /// <summary>New port.</summary>
    public uint? Port { get; init; }

    /// <summary>New <c>check</c> flag.</summary>
    public bool? Check { get; init; }

    /// <summary>Applies this patch to <paramref name="server"/>.</summary>
    public ServerSpec ApplyTo(ServerSpec server) => server with
    {
        Weight = Weight ?? server.Weight,
        State = State ?? server.State,
        Maxconn = Maxconn ?? server.Maxconn,
        Address = Address ?? server.Address,
        Port = Port ?? server.Port,
        Check = Check ?? server.Check,
    };
}

/// <summary>A whole configuration in admin API form: the working config or a published version's.</summary>
public sealed record ConfigSpec
{
    /// <summary>Frontends, ordered by name.</summary>
    public IReadOnlyList<FrontendSpec> Frontends { get; init; } = [];

    /// <summary>Backends with their servers, ordered by name.</summary>
    public IReadOnlyList<BackendSpec> Backends { get; init; } = [];
}
