using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Infrastructure;

/// <summary>Small helpers to build ballast.v1 configurations in tests.</summary>
public static class ConfigBuilder
{
    public static V1.Config NewConfig(IEnumerable<V1.Frontend> frontends, IEnumerable<V1.Backend> backends)
    {
        var config = new V1.Config();
        config.Frontends.Add(frontends);
        config.Backends.Add(backends);
        return config;
    }

    public static V1.Frontend Frontend(string name, string backend, params int[] ports)
    {
        var frontend = new V1.Frontend { Name = name, DefaultBackend = backend };
        foreach (var port in ports)
        {
            frontend.Binds.Add(new V1.Bind { Address = "127.0.0.1", Port = (uint)port });
        }

        return frontend;
    }

    public static V1.Backend Backend(string name, params V1.Server[] servers)
    {
        var backend = new V1.Backend { Name = name };
        backend.Servers.Add(servers);
        return backend;
    }

    public static V1.Backend WithHttpCheck(this V1.Backend backend, uint interMs, uint rise = 2, uint fall = 3, uint timeoutMs = 0)
    {
        backend.HealthCheck = new V1.HealthCheck
        {
            Type = V1.HealthCheckType.HealthCheckHttp,
            HttpMethod = "GET",
            HttpPath = "/health",
            InterMs = interMs,
            Rise = rise,
            Fall = fall,
            TimeoutMs = timeoutMs,
        };
        return backend;
    }

    public static V1.Server Server(string name, int port, uint? weight = null, V1.ServerState state = V1.ServerState.Ready, bool check = false, uint maxconn = 0)
    {
        var server = new V1.Server { Name = name, Address = "127.0.0.1", Port = (uint)port, State = state, Check = check, Maxconn = maxconn };
        if (weight is { } w)
        {
            server.Weight = w;
        }

        return server;
    }
}
