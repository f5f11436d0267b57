using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Ballast.DataPlane.Proxy;

/// <summary>
/// The Kestrel application of one bind: no middleware pipeline, no DI scope; each request resolves the bind's
/// frontend in the current model and goes to <see cref="ProxyRequestHandler"/>. HttpContext objects are reused
/// per connection, as ASP.NET Core hosting does.
/// </summary>
internal sealed class ProxyHttpApplication(BindContext bind, ProxyRequestHandler handler) : IHttpApplication<HttpContext>
{
    /// <inheritdoc />
    public HttpContext CreateContext(IFeatureCollection contextFeatures)
    {
        if (contextFeatures is IHostContextContainer<HttpContext> container)
        {
            if (container.HostContext is DefaultHttpContext reused)
            {
                reused.Initialize(contextFeatures);
                return reused;
            }

            var created = new DefaultHttpContext(contextFeatures);
            container.HostContext = created;
            return created;
        }

        return new DefaultHttpContext(contextFeatures);
    }

    /// <inheritdoc />
    public Task ProcessRequestAsync(HttpContext context)
    {
        var frontend = bind.ResolveFrontend();
        return frontend is null
            ? ProxyResponses.WriteServiceUnavailableAsync(context)
            : handler.HandleAsync(context, frontend);
    }

    /// <inheritdoc />
    public void DisposeContext(HttpContext context, Exception? exception)
    {
        if (context is DefaultHttpContext defaultContext)
        {
            defaultContext.Uninitialize();
        }
    }
}
