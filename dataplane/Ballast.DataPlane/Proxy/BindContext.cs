using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.Proxy;

/// <summary>
/// What a listener needs to serve its bind: the current model and a per-bind cache of "which frontend owns this
/// bind in that model", so a request costs one volatile read and a reference comparison instead of a lookup.
/// </summary>
internal sealed class BindContext(BindEndpoint endpoint, RuntimeModelHolder holder)
{
    private volatile Lookup? _lookup;

    /// <summary>The bind served.</summary>
    public BindEndpoint Endpoint { get; } = endpoint;

    /// <summary>The frontend owning this bind in the current model; null while the bind is being removed.</summary>
    public FrontendRuntime? ResolveFrontend()
    {
        var model = holder.Current;
        var lookup = _lookup;
        if (lookup is not null && ReferenceEquals(lookup.Model, model))
        {
            return lookup.Frontend;
        }

        model.FrontendsByBind.TryGetValue(Endpoint, out var frontend);
        _lookup = new Lookup(model, frontend);
        return frontend;
    }

    private sealed record Lookup(RuntimeModel Model, FrontendRuntime? Frontend);
}
