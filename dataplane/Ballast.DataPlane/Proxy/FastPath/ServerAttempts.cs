using Ballast.DataPlane.Config;
using Ballast.DataPlane.LoadBalancing;

namespace Ballast.DataPlane.Proxy.FastPath;

/// <summary>
/// The server choice of one request (http) or connection (tcp) across connection attempts, as HAProxy
/// <c>retries</c> / <c>retry-on conn-failure</c> / <c>option redispatch &lt;interval&gt;</c>: the first server comes
/// from the balancer through the backend's queue; after a failed connect the request is retried, on another server
/// when the redispatch interval says so and one is usable (the same server otherwise). Counts <c>wretr</c> per retry,
/// <c>wredis</c> when a retry moves to another server, and <c>econ</c> when attempts run out, on the server and its
/// backend. Shared by the mode tcp relay and the HTTP/1.1 fast path.
/// </summary>
internal sealed class ServerAttempts
{
    private BackendRuntime _backend;
    private BalanceInput _input;
    private ServerExclusions _exclusions;
    private ServerRuntime? _failed;
    private bool _stay;
    private int _attempt;

    /// <summary>Starts the attempts of a request.</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="input">What hashing algorithms hash.</param>
    public ServerAttempts(BackendRuntime backend, BalanceInput input)
    {
        _backend = backend;
        _input = input;
    }

    /// <summary>Starts the attempts of another request on this instance (a connection reuses one per request).</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="input">What hashing algorithms hash.</param>
    public void Reset(BackendRuntime backend, BalanceInput input)
    {
        _backend = backend;
        _input = input;
        _exclusions = default;
        _failed = null;
        _stay = false;
        _attempt = 0;
    }

    /// <summary>Attempts made so far (the one in progress included).</summary>
    public int Attempt => _attempt;

    /// <summary>
    /// The server of the next attempt, its <c>maxconn</c> slot taken (waits in the queue up to <c>timeout queue</c>);
    /// null when none is usable or the queue timed out (then <c>econ</c> was counted if an attempt had failed).
    /// </summary>
    /// <param name="cancellationToken">The client went away.</param>
    public async ValueTask<ServerRuntime?> NextAsync(CancellationToken cancellationToken)
    {
        var failed = _failed;
        var server = _stay && failed!.IsUsable && failed.TryAcquire()
            ? failed
            : await BackendQueue.PickAsync(_backend, _input, _exclusions, cancellationToken).ConfigureAwait(false);
        if (server is null && failed is not null && failed.IsUsable && failed.TryAcquire())
        {
            server = failed; // no other server: retry the same one, as HAProxy without a redispatch target
        }

        if (server is null)
        {
            if (failed is not null)
            {
                failed.State.Counters.CountConnectionError();
                _backend.State.Counters.CountConnectionError();
            }

            return null;
        }

        if (failed is not null && !ReferenceEquals(failed, server))
        {
            failed.State.Counters.CountRedispatch();
            _backend.State.Counters.CountRedispatch();
        }

        _attempt++;
        return server;
    }

    /// <summary>
    /// Records that the connect to <paramref name="server"/> failed (its slot must already be released).
    /// </summary>
    /// <param name="server">The server of the failed attempt.</param>
    /// <returns>True when another attempt follows (<c>wretr</c> counted); false when attempts ran out (<c>econ</c> counted).</returns>
    public bool ConnectFailed(ServerRuntime server)
    {
        var options = _backend.Options;
        var counters = server.State.Counters;
        if (_attempt > options.Retries || (options.RetryOn & RetryOn.ConnectionFailure) == 0)
        {
            counters.CountConnectionError();
            _backend.State.Counters.CountConnectionError();
            return false;
        }

        counters.CountRetry();
        _backend.State.Counters.CountRetry();
        _stay = !options.RedispatchesOn(_attempt, options.Retries);
        if (!_stay)
        {
            _exclusions.Add(server);
        }

        _failed = server;
        return true;
    }
}
