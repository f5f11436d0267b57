using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Ballast.ControlPlane.Hosting;

/// <summary>Endpoint metadata marking endpoints served on the node listener only (the gRPC service).</summary>
internal sealed class NodeEndpointMetadata
{
    /// <summary>The marker.</summary>
    public static readonly NodeEndpointMetadata Instance = new();

    private NodeEndpointMetadata()
    {
    }
}

/// <summary>
/// The Kestrel listeners of each role. A request on a node listener may reach only node endpoints and a request on
/// a dashboard listener only the other endpoints; anything else is answered 404 (see <see cref="ListenerRoleMiddleware"/>).
/// </summary>
internal sealed class ListenerRoles
{
    private readonly List<ListenOptions> _node = [];
    private readonly List<ListenOptions> _dashboard = [];

    /// <summary>Records a node listener.</summary>
    public void AddNode(ListenOptions listen) => _node.Add(listen);

    /// <summary>Records a dashboard/API listener.</summary>
    public void AddDashboard(ListenOptions listen) => _dashboard.Add(listen);

    /// <summary>Bound ports of the node listeners (valid once the server started).</summary>
    public IReadOnlyList<int> NodePorts => _node.Select(Port).ToArray();

    /// <summary>Bound ports of the dashboard listeners (valid once the server started).</summary>
    public IReadOnlyList<int> DashboardPorts => _dashboard.Select(Port).ToArray();

    /// <summary>Whether a connection to local port <paramref name="port"/> came through a node listener.</summary>
    public bool IsNodePort(int port) => _node.Any(l => Port(l) == port);

    private static int Port(ListenOptions listen) => (listen.EndPoint as IPEndPoint)?.Port ?? 0;
}

/// <summary>Keeps node endpoints on the node listeners and everything else on the dashboard listeners.</summary>
internal sealed class ListenerRoleMiddleware(RequestDelegate next, ListenerRoles roles)
{
    /// <summary>Runs after routing: clears the matched endpoint when it belongs to the other listener.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is not null)
        {
            var isNodeEndpoint = endpoint.Metadata.GetMetadata<NodeEndpointMetadata>() is not null;
            if (isNodeEndpoint != roles.IsNodePort(context.Connection.LocalPort))
            {
                context.SetEndpoint(null);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
        }

        return next(context);
    }
}
