using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Model;

/// <summary>Mapping of the nullable backend options (<c>retries</c>, <c>option redispatch</c>) to proto3 optional fields.</summary>
internal static class BackendOptionMapping
{
    /// <summary>Clears <c>retries</c> / <c>redispatch</c> when the spec leaves them unset (the node applies its default).</summary>
    /// <param name="backend">The message.</param>
    /// <param name="spec">The admin API backend.</param>
    public static Backend WithUnsetDefaults(this Backend backend, BackendSpec spec)
    {
        if (spec.Retries is null)
        {
            backend.ClearRetries();
        }

        if (spec.Redispatch is null)
        {
            backend.ClearRedispatch();
        }

        return backend;
    }
}
