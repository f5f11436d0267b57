using System.Runtime.CompilerServices;
using Ballast.DataPlane.Config;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Ballast.DataPlane.Proxy.FastPath;

/// <summary>
/// Whether a frontend of the served model uses the fast path: decided for all frontends of a model the first time
/// a connection asks after the model was applied (so per snapshot, never per request), and cached with the model.
/// A frontend that is not part of the current model (a connection racing a swap) takes the YARP path.
/// </summary>
internal sealed class FastPathSelector(FastPathSettings settings, RuntimeModelHolder holder)
{
    private readonly ConditionalWeakTable<RuntimeModel, HashSet<FrontendRuntime>> _eligible = new();

    /// <summary>Whether connections of <paramref name="frontend"/> go to the fast path.</summary>
    /// <param name="frontend">The frontend owning the bind.</param>
    public bool UsesFastPath(FrontendRuntime frontend)
    {
        if (!settings.Enabled || frontend.Mode != Proto.V1.Mode.Http)
        {
            return false;
        }

        var model = holder.Current;
        return _eligible.GetValue(model, Evaluate).Contains(frontend);
    }

    /// <summary>
    /// Whether <paramref name="connection"/> of <paramref name="frontend"/> goes to the fast path: the frontend is
    /// eligible and the connection speaks HTTP/1.x (a TLS connection whose ALPN selected <c>h2</c> stays on Kestrel's
    /// HTTP/2 and YARP).
    /// </summary>
    /// <param name="frontend">The frontend owning the bind.</param>
    /// <param name="connection">The client connection, after its TLS handshake if any.</param>
    public bool UsesFastPath(FrontendRuntime frontend, ConnectionContext connection) =>
        UsesFastPath(frontend) && !IsHttp2(connection);

    /// <summary>Whether TLS ALPN selected HTTP/2 on <paramref name="connection"/>.</summary>
    /// <param name="connection">The connection.</param>
    internal static bool IsHttp2(ConnectionContext connection) =>
        connection.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol.Span.SequenceEqual("h2"u8) == true;

    /// <summary>The frontends of <paramref name="model"/> that are eligible.</summary>
    /// <param name="model">A model.</param>
    internal static HashSet<FrontendRuntime> Evaluate(RuntimeModel model)
    {
        var eligible = new HashSet<FrontendRuntime>(ReferenceEqualityComparer.Instance);
        foreach (var frontend in model.Frontends)
        {
            var source = model.Source.Frontends.FirstOrDefault(f => f.Name == frontend.Name);
            if (source is not null
                && frontend.Rules is null
                && frontend.DefaultBackend?.Rules is null
                && FastPathEligibility.IsEligible(model.Source, source, out _))
            {
                eligible.Add(frontend);
            }
        }

        return eligible;
    }
}
