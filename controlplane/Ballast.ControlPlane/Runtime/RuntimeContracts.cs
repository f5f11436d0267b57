using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Runtime;

/// <summary>
/// Body of <c>PUT /api/v1/runtime/backends/{backend}/servers/{server}</c>, as HAProxy's runtime API
/// <c>set server &lt;b&gt;/&lt;s&gt; state ready|drain|maint</c> and <c>set server &lt;b&gt;/&lt;s&gt; weight &lt;n&gt;</c>.
/// Members given replace the server's override of that member; absent members keep it (so state and weight can
/// be set by separate calls, as separate HAProxy commands). At least one is required.
/// </summary>
public sealed record RuntimeServerRequest
{
    /// <summary><c>ready</c>, <c>drain</c> (no new balanced traffic; persistent clients still served) or <c>maint</c> (no traffic, checks stop).</summary>
    public ServerState? State { get; init; }

    /// <summary>Weight 0-256; static algorithms (static-rr, hash-type map-based) take only 0 or the configured weight.</summary>
    public uint? Weight { get; init; }
}

/// <summary>One server's runtime override.</summary>
/// <param name="Backend">Backend name.</param>
/// <param name="Server">Server name.</param>
/// <param name="State">Overridden administrative state; null = configured.</param>
/// <param name="Weight">Overridden weight; null = configured.</param>
/// <param name="UpdatedBy">Who set it last.</param>
/// <param name="UpdatedAt">When, UTC.</param>
public sealed record RuntimeServerOverride(string Backend, string Server, ServerState? State, uint? Weight, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>Whether one node applied the current runtime revision.</summary>
/// <param name="NodeId">Node id.</param>
/// <param name="Connected">Whether its stream is open.</param>
/// <param name="SentRevision">Last revision sent on its current stream; 0 = none.</param>
/// <param name="AppliedRevision">Last revision it acknowledged; 0 = none.</param>
/// <param name="Applied">Whether it acknowledged the current revision.</param>
/// <param name="LastError">Why it rejected its last update (RuntimeNack), if it did.</param>
public sealed record RuntimeNodeStatus(string NodeId, bool Connected, long SentRevision, long AppliedRevision, bool Applied, string? LastError);

/// <summary>Answer of <c>GET /api/v1/runtime/servers</c> and of the runtime PUT/DELETE.</summary>
/// <param name="Revision">Revision of the override set (every change raises it; 0 = never changed).</param>
/// <param name="Overrides">Overrides, by backend then server.</param>
/// <param name="Nodes">Per node, whether it applied <paramref name="Revision"/>.</param>
public sealed record RuntimeServersResponse(long Revision, IReadOnlyList<RuntimeServerOverride> Overrides, IReadOnlyList<RuntimeNodeStatus> Nodes);

/// <summary>The override set at one revision, as sent to nodes.</summary>
/// <param name="Revision">Revision.</param>
/// <param name="Overrides">Overrides.</param>
internal sealed record RuntimeState(long Revision, IReadOnlyList<RuntimeServerOverride> Overrides)
{
    /// <summary>The empty set at revision 0.</summary>
    public static readonly RuntimeState Empty = new(0, []);

    /// <summary>The node-protocol message of this set.</summary>
    /// <param name="nonce">Fresh nonce of the send.</param>
    public ControlMessage ToMessage(string nonce)
    {
        var update = new RuntimeUpdate { Revision = (ulong)Revision, Nonce = nonce };
        foreach (var item in Overrides)
        {
            var message = new ServerOverride { Backend = item.Backend, Server = item.Server };
            if (item.State is { } state)
            {
                message.State = state;
            }

            if (item.Weight is { } weight)
            {
                message.Weight = weight;
            }

            update.Overrides.Add(message);
        }

        return new ControlMessage { RuntimeUpdate = update };
    }
}
