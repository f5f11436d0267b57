using System.Net.Http;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.StickTables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Rules;

/// <summary>
/// The layer-7 processing of one request, created only for frontends that have rules (or route to backends that
/// do). Order follows HAProxy: the frontend's <c>http-request</c> rules, <c>use_backend</c> in order (else
/// <c>default_backend</c>), the backend's <c>http-request</c> rules, persistence (cookie, <c>stick on src</c>),
/// balancing; on the response the backend's then the frontend's <c>http-response</c> rules and the persistence
/// cookie. A terminal action (<c>deny</c>, <c>redirect</c>, <c>return</c>) answers at once; <c>allow</c> stops the
/// current rule list. Also the forwarder's transformer for the request, wrapping the handler's own.
/// </summary>
internal sealed partial class HttpRuleSession : HttpTransformer, IDisposable
{
    private readonly ProxyRules _frontend;
    private readonly string _target;
    private readonly int _pathLength;
    private ProxyRules _current;
    private ProxyRules? _backend;
    private HttpTransformer _inner = Empty;
    private string? _path;
    private StickEntry? _tracked;
    private StickTable? _trackedTable;
    private ServerRuntime? _persistentServer;
    private ServerRuntime? _chosen;
    private HttpRuleRuntime? _terminal;
    private bool _requestCookieRewritten;

    private HttpRuleSession(HttpContext context, ProxyRules frontend)
    {
        Context = context;
        _frontend = frontend;
        _current = frontend;
        _target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var start = PathStart(_target);
        var query = _target.IndexOf('?', start);
        _pathLength = (query < 0 ? _target.Length : query) - start;
        _target = start == 0 ? _target : _target[start..];
        Now = frontend.Table?.Now ?? 0;
    }

    /// <summary>The request.</summary>
    public HttpContext Context { get; }

    /// <summary>The current path (HAProxy <c>path</c>): as received, not decoded, or as rewritten by set-path/replace-path.</summary>
    public ReadOnlySpan<char> Path => _path ?? _target.AsSpan(0, _pathLength);

    /// <summary>The query string without '?', as received.</summary>
    public ReadOnlySpan<char> Query => _pathLength < _target.Length ? _target.AsSpan(_pathLength + 1) : ReadOnlySpan<char>.Empty;

    /// <summary>The response status while http-response rules run; 0 before.</summary>
    public int ResponseStatus { get; private set; }

    /// <summary>Milliseconds on the stick tables' clock, read once per request.</summary>
    public long Now { get; private set; }

    /// <summary>Whether a terminal action answered the request (nothing is forwarded).</summary>
    public bool Responded { get; private set; }

    /// <summary>Whether an <c>http-request deny</c> answered the request (HAProxy counts it in <c>dreq</c>).</summary>
    public bool Denied => Responded && _terminal?.Action == V1.HttpAction.Deny;

    /// <summary>
    /// The backend whose <c>http-request</c> rules ran (HAProxy: the backend was assigned, so a deny also counts in
    /// its <c>dreq</c>), or null when the frontend's rules answered first.
    /// </summary>
    public BackendRuntime? RuleBackend { get; private set; }

    /// <summary>Starts processing a request of a frontend with rules.</summary>
    /// <param name="context">The request.</param>
    /// <param name="frontend">The frontend's rules.</param>
    public static HttpRuleSession Begin(HttpContext context, ProxyRules frontend) => new(context, frontend);

    /// <summary>
    /// Runs the frontend's http-request rules, picks the backend (<c>use_backend</c>, else
    /// <paramref name="defaultBackend"/>) and runs its http-request rules. When a rule answers,
    /// <see cref="Responded"/> is set and the response is written.
    /// </summary>
    /// <param name="defaultBackend">The frontend's <c>default_backend</c>.</param>
    /// <returns>The backend, or null (none, or answered by a rule).</returns>
    public async ValueTask<BackendRuntime?> ProcessRequestAsync(BackendRuntime? defaultBackend)
    {
        if (RunRequestRules(_frontend))
        {
            await WriteTerminalAsync().ConfigureAwait(false);
            return null;
        }

        var backend = defaultBackend;
        foreach (var rule in _frontend.UseBackends)
        {
            if (CompiledCondition.Holds(rule.Condition, this))
            {
                backend = rule.Backend;
                break;
            }
        }

        _backend = backend?.Rules;
        if (_backend is not null)
        {
            RuleBackend = backend;
            if (Now == 0 && _backend.Table is not null)
            {
                Now = _backend.Table.Now;
            }

            if (RunRequestRules(_backend))
            {
                await WriteTerminalAsync().ConfigureAwait(false);
                return null;
            }
        }

        if (_path is not null)
        {
            Context.Request.Path = PathString.FromUriComponent(_path);
        }

        return backend;
    }

    /// <summary>Reads a sticky-counter fetch (<c>sc_*(0)</c> on the tracked entry, <c>src_*</c> on the current table).</summary>
    /// <param name="fetch">The fetch.</param>
    /// <returns>The value, or null when the sample does not exist (not tracked, not stored, no entry).</returns>
    public long? ReadCounter(FetchKind fetch)
    {
        StickEntry? entry;
        StickTable? table;
        if (fetch is FetchKind.TrackedHttpRequestRate or FetchKind.TrackedConnCur or FetchKind.TrackedConnRate)
        {
            entry = _tracked;
            table = _trackedTable;
        }
        else
        {
            table = _current.Table;
            var source = Context.Connection.RemoteIpAddress;
            if (table is null || source is null || table.Type != V1.StickTableType.Ip)
            {
                return null;
            }

            // HAProxy's src_* fetches answer 0 for an address without an entry.
            entry = table.Find(StickKey.From(source), Now);
            if (entry is null)
            {
                return table.HttpRequestRatePeriod > 0 || table.ConnectionRatePeriod > 0 || table.StoreConnCur ? 0 : null;
            }
        }

        if (entry is null || table is null)
        {
            return null;
        }

        return fetch switch
        {
            FetchKind.TrackedHttpRequestRate or FetchKind.SourceHttpRequestRate => entry.HttpRequestRate(Now, table),
            FetchKind.TrackedConnRate or FetchKind.SourceConnRate => entry.ConnectionRate(Now, table),
            _ => entry.CurrentConnections(table),
        };
    }

    /// <summary>Ends the request: the tracked entry's <c>conn_cur</c> is released (registered with the response).</summary>
    public void Dispose()
    {
        _tracked?.Untrack();
        _tracked = null;
    }

    /// <summary>Returns the transformer to forward with: this session around <paramref name="inner"/> when responses are transformed.</summary>
    /// <param name="inner">The handler's transformer.</param>
    public HttpTransformer Wrap(HttpTransformer inner)
    {
        if (!_frontend.TransformsResponses && _backend?.TransformsResponses != true && _backend?.Cookie is null)
        {
            return inner;
        }

        _inner = inner;
        return this;
    }

    private bool RunRequestRules(ProxyRules rules)
    {
        _current = rules;
        foreach (var rule in rules.Request)
        {
            if (!CompiledCondition.Holds(rule.Condition, this))
            {
                continue;
            }

            switch (rule.Action)
            {
                case V1.HttpAction.Allow:
                    return false;
                case V1.HttpAction.Deny:
                case V1.HttpAction.Redirect:
                case V1.HttpAction.Return:
                    _terminal = rule;
                    Responded = true;
                    return true;
                case V1.HttpAction.SetHeader:
                    Context.Request.Headers[rule.Name] = rule.Value;
                    break;
                case V1.HttpAction.AddHeader:
                    Context.Request.Headers.Append(rule.Name, rule.Value);
                    break;
                case V1.HttpAction.DelHeader:
                    Context.Request.Headers.Remove(rule.Name);
                    break;
                case V1.HttpAction.SetPath:
                    _path = rule.Value;
                    break;
                case V1.HttpAction.ReplacePath:
                    var path = Path.ToString();
                    if (rule.Regex!.IsMatch(path))
                    {
                        _path = rule.Regex.Replace(path, rule.Replacement, 1);
                    }

                    break;
                case V1.HttpAction.TrackSc0:
                    Track(rule);
                    break;
            }
        }

        return false;
    }

    private void Track(HttpRuleRuntime rule)
    {
        // HAProxy: a sticky counter already tracked is not tracked again by a later track-sc0.
        if (_tracked is not null || rule.Table is null)
        {
            return;
        }

        StickKey key;
        if (rule.TrackHeader is null)
        {
            var source = Context.Connection.RemoteIpAddress;
            if (source is null)
            {
                return;
            }

            key = StickKey.From(source);
        }
        else
        {
            var value = Context.Request.Headers[rule.TrackHeader];
            if (value.Count == 0 || string.IsNullOrEmpty(value[0]))
            {
                return; // no sample: nothing is tracked, as HAProxy
            }

            key = StickKey.From(value[0]!);
        }

        if (Now == 0)
        {
            Now = rule.Table.Now;
        }

        var entry = rule.Table.GetOrCreate(key, Now);
        entry.Track(Now, rule.Table);
        _tracked = entry;
        _trackedTable = rule.Table;
        Context.Response.RegisterForDispose(this); // conn_cur is released when the request ends, however it ends

    }

    private static int PathStart(string target)
    {
        if (target.Length > 0 && target[0] == '/')
        {
            return 0;
        }

        // absolute-form: skip scheme://authority, as HAProxy's path fetch does.
        var scheme = target.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return 0;
        }

        var slash = target.IndexOf('/', scheme + 3);
        return slash < 0 ? target.Length : slash;
    }
}
