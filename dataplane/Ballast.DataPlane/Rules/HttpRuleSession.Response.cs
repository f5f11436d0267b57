using System.Net.Http;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.StickTables;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Rules;

/// <summary>Persistence, terminal answers and response rules of <see cref="HttpRuleSession"/>.</summary>
internal sealed partial class HttpRuleSession
{
    /// <summary>
    /// The server persistence designates, with a slot taken: the server named by a valid cookie (HAProxy
    /// <c>cookie</c>), else the one stored for the client address (<c>stick on src</c>). The server must be UP and
    /// not in maintenance; DRAIN and weight 0 still take persistent traffic, as HAProxy. At <c>maxconn</c> the
    /// request waits in the server's own queue (<see cref="LoadBalancing.ServerQueue"/>); when that queue is at
    /// <c>maxqueue</c> it is balanced if <c>option redispatch</c> is on, else refused (503), as is a request whose
    /// <c>timeout queue</c> expired. No server (none designated, or down): the request is balanced, as is a waiter whose
    /// server went DOWN or into MAINT under <c>option redispatch</c> (<see cref="LoadBalancing.QueueRedistribution"/>).
    /// </summary>
    /// <param name="backend">The backend.</param>
    /// <param name="cancellationToken">The client went away.</param>
    public async ValueTask<LoadBalancing.PersistentPick> PickPersistentAsync(BackendRuntime backend, CancellationToken cancellationToken)
    {
        var server = FindPersistent(backend);
        if (server is null || server.Admin == AdminState.Maint || !server.IsUp)
        {
            return default;
        }

        var outcome = await LoadBalancing.ServerQueue.AcquireAsync(server, backend, cancellationToken).ConfigureAwait(false);
        if (outcome == LoadBalancing.ServerQueueResult.Served)
        {
            _persistentServer = server;
            return new LoadBalancing.PersistentPick(server, null);
        }

        return (outcome == LoadBalancing.ServerQueueResult.Full && backend.Options.Redispatch != 0) || outcome == LoadBalancing.ServerQueueResult.Redispatched
            ? default
            : new LoadBalancing.PersistentPick(null, server);
    }

    private ServerRuntime? FindPersistent(BackendRuntime backend)
    {
        var rules = backend.Rules;
        if (rules is null || !rules.HasPersistence)
        {
            return null;
        }

        ServerRuntime? server = null;
        if (rules.Cookie is { } cookie && FindCookie(cookie.Name) is { } value)
        {
            if (cookie.Mode == V1.CookieMode.Prefix)
            {
                var tilde = value.IndexOf('~');
                value = tilde < 0 ? value : value[..tilde];
            }

            rules.ServersByCookie.TryGetValue(value, out server);
        }

        if (server is null && rules.StickOnSource && rules.Table is { } table && Context.Connection.RemoteIpAddress is { } source)
        {
            var entry = table.Find(StickKey.From(source), table.Now);
            if (entry?.Server is { } name)
            {
                rules.ServersByName.TryGetValue(name, out server);
            }
        }

        return server;
    }

    /// <summary>
    /// Records the server that takes the request: <c>stick on src</c> stores it for the client address, and the
    /// request's persistence cookie is adjusted (removed with <c>insert indirect</c>, un-prefixed with <c>prefix</c>).
    /// </summary>
    /// <param name="backend">The backend.</param>
    /// <param name="server">The server.</param>
    public void ServerChosen(BackendRuntime backend, ServerRuntime server)
    {
        _chosen = server;
        var rules = backend.Rules;
        if (rules is null)
        {
            return;
        }

        if (rules.StickOnSource && rules.Table is { } table && Context.Connection.RemoteIpAddress is { } source)
        {
            table.GetOrCreate(StickKey.From(source), table.Now).Server = server.Name;
        }

        if (!_requestCookieRewritten
            && rules.Cookie is { } cookie
            && (cookie.Mode == V1.CookieMode.Prefix || (cookie.Mode == V1.CookieMode.Insert && cookie.Indirect))
            && FindCookie(cookie.Name) is not null)
        {
            _requestCookieRewritten = true;
            RewriteRequestCookie(cookie);
        }
    }

    /// <inheritdoc />
    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken) =>
        _inner.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

    /// <inheritdoc />
    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proceed = await _inner.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        if (proxyResponse is null)
        {
            return proceed;
        }

        ResponseStatus = httpContext.Response.StatusCode;
        if (_backend is not null)
        {
            ApplyCookie(_backend.Cookie);
            RunResponseRules(_backend);
        }

        RunResponseRules(_frontend);
        return proceed;
    }

    /// <inheritdoc />
    public override ValueTask TransformResponseTrailersAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, CancellationToken cancellationToken) =>
        _inner.TransformResponseTrailersAsync(httpContext, proxyResponse, cancellationToken);

    private void RunResponseRules(ProxyRules rules)
    {
        _current = rules;
        var headers = Context.Response.Headers;
        foreach (var rule in rules.Response)
        {
            if (!CompiledCondition.Holds(rule.Condition, this))
            {
                continue;
            }

            switch (rule.Action)
            {
                case V1.HttpAction.Allow:
                    return;
                case V1.HttpAction.SetHeader:
                    headers[rule.Name] = rule.Value;
                    break;
                case V1.HttpAction.AddHeader:
                    headers.Append(rule.Name, rule.Value);
                    break;
                case V1.HttpAction.DelHeader:
                    headers.Remove(rule.Name);
                    break;
            }
        }
    }

    private void ApplyCookie(CookieSettings? cookie)
    {
        if (cookie is null || _chosen is null)
        {
            return;
        }

        var value = _backend!.ServersByCookie.Count > 0 ? CookieOf(_chosen) : null;
        if (value is null)
        {
            return;
        }

        var headers = Context.Response.Headers;
        switch (cookie.Mode)
        {
            case V1.CookieMode.Insert:
                // A client whose valid cookie brought it to this server gets no new one (HAProxy: SF_DIRECT).
                if (ReferenceEquals(_persistentServer, _chosen))
                {
                    return;
                }

                var set = $"{cookie.Name}={value}; path=/";
                if (cookie.HttpOnly)
                {
                    set += "; HttpOnly";
                }

                if (cookie.Secure)
                {
                    set += "; Secure";
                }

                headers.Append(HeaderNames.SetCookie, set);
                break;
            case V1.CookieMode.Rewrite:
            case V1.CookieMode.Prefix:
                if (!RewriteResponseCookie(cookie, value))
                {
                    return;
                }

                break;
        }

        if (cookie.NoCache)
        {
            headers.CacheControl = "private";
        }
    }

    private string? CookieOf(ServerRuntime server)
    {
        foreach (var pair in _backend!.ServersByCookie)
        {
            if (ReferenceEquals(pair.Value, server))
            {
                return pair.Key;
            }
        }

        return null;
    }

    private bool RewriteResponseCookie(CookieSettings cookie, string serverValue)
    {
        var headers = Context.Response.Headers;
        var lines = headers.SetCookie;
        var changed = false;
        var result = new string?[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i] ?? string.Empty;
            var eq = line.IndexOf('=');
            if (eq > 0 && line.AsSpan(0, eq).Trim().SequenceEqual(cookie.Name))
            {
                var end = line.IndexOf(';', eq);
                var rest = end < 0 ? string.Empty : line[end..];
                var old = end < 0 ? line[(eq + 1)..] : line[(eq + 1)..end];
                var next = cookie.Mode == V1.CookieMode.Rewrite ? serverValue : $"{serverValue}~{old}";
                line = $"{cookie.Name}={next}{rest}";
                changed = true;
            }

            result[i] = line;
        }

        if (changed)
        {
            headers.SetCookie = result;
        }

        return changed;
    }

    private string? FindCookie(string name)
    {
        var lines = Context.Request.Headers.Cookie;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = (lines[i] ?? string.Empty).AsSpan();
            while (line.Length > 0)
            {
                var semi = line.IndexOf(';');
                var pair = (semi < 0 ? line : line[..semi]).Trim(' ');
                var eq = pair.IndexOf('=');
                if (eq > 0 && pair[..eq].Trim(' ').SequenceEqual(name))
                {
                    return pair[(eq + 1)..].Trim(' ').Trim('"').ToString();
                }

                if (semi < 0)
                {
                    break;
                }

                line = line[(semi + 1)..];
            }
        }

        return null;
    }

    private void RewriteRequestCookie(CookieSettings cookie)
    {
        var headers = Context.Request.Headers;
        var lines = headers.Cookie;
        var parts = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            foreach (var raw in (lines[i] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = raw.IndexOf('=');
                if (eq > 0 && raw.AsSpan(0, eq).Trim().SequenceEqual(cookie.Name))
                {
                    if (cookie.Mode == V1.CookieMode.Prefix)
                    {
                        var tilde = raw.IndexOf('~', eq);
                        if (tilde > 0)
                        {
                            parts.Add($"{cookie.Name}={raw[(tilde + 1)..]}");
                        }
                    }

                    continue; // insert indirect: the server never sees the persistence cookie
                }

                parts.Add(raw);
            }
        }

        if (parts.Count == 0)
        {
            headers.Remove(HeaderNames.Cookie);
        }
        else
        {
            headers.Cookie = string.Join("; ", parts);
        }
    }

    private Task WriteTerminalAsync()
    {
        var rule = _terminal!;
        var response = Context.Response;
        response.Clear();
        switch (rule.Action)
        {
            case V1.HttpAction.Deny:
                return RuleResponses.WriteErrorPageAsync(Context, rule.Status);
            case V1.HttpAction.Redirect:
                response.StatusCode = rule.Status;
                response.Headers.Location = RedirectLocation(rule);
                response.Headers.CacheControl = "no-cache";
                response.ContentLength = 0;
                return Task.CompletedTask;
            default:
                response.StatusCode = rule.Status;
                if (rule.ContentType is not null)
                {
                    response.ContentType = rule.ContentType;
                }

                response.ContentLength = rule.Body.Length;
                return rule.Body.Length == 0 || HttpMethods.IsHead(Context.Request.Method)
                    ? Task.CompletedTask
                    : response.Body.WriteAsync(rule.Body, 0, rule.Body.Length, Context.RequestAborted);
        }
    }

    private string RedirectLocation(HttpRuleRuntime rule)
    {
        var pathAndQuery = _pathLength < _target.Length
            ? string.Concat(Path, _target.AsSpan(_pathLength))
            : Path.ToString();
        return rule.RedirectType switch
        {
            V1.RedirectType.Prefix => rule.Value == "/" ? pathAndQuery : rule.Value + pathAndQuery,
            V1.RedirectType.Scheme => $"{rule.Value}://{Context.Request.Headers.Host}{pathAndQuery}",
            _ => rule.Value,
        };
    }
}
