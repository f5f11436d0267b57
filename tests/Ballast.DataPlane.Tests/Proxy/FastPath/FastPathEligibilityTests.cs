using Ballast.DataPlane.Proxy.FastPath;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Proxy.FastPath;

/// <summary>Which frontends the HTTP/1.1 fast path serves: only those using nothing it does not implement.</summary>
public sealed class FastPathEligibilityTests
{
    private static V1.Config Plain()
    {
        var backend = Backend("app", Server("a", 8080, weight: 3, maxconn: 10, check: true), Server("b", 8081));
        backend.Forwardfor = true;
        backend.TimeoutServerMs = 1000;
        backend.Retries = 2;
        backend.RetryOn.Add("conn-failure");
        backend.Redispatch = -1;
        backend.HealthCheck = new V1.HealthCheck { Type = V1.HealthCheckType.HealthCheckHttp, HttpPath = "/health" };
        var frontend = Frontend("web", "app", 8000);
        frontend.Maxconn = 100;
        frontend.OptionHttplog = true;
        frontend.Logs.Add(new V1.LogTarget { Address = "stdout" });
        return NewConfig([frontend], [backend]);
    }

    private static bool Eligible(V1.Config config) => FastPathEligibility.IsEligible(config, config.Frontends[0], out _);

    [Fact]
    public void PlainFrontendWithImplementedOptions_IsEligible()
    {
        Assert.True(FastPathEligibility.IsEligible(Plain(), Plain().Frontends[0], out var reason), reason);
    }

    [Fact]
    public void SslBindWithCertificatesAlpnAndMinVersion_IsEligible()
    {
        var config = Plain();
        var bind = config.Frontends[0].Binds[0];
        bind.Ssl = true;
        bind.Certificates.Add("site");
        bind.Alpn.Add(["h2", "http/1.1"]);
        bind.SslMinVer = V1.TlsVersion.Tls13;
        Assert.True(FastPathEligibility.IsEligible(config, config.Frontends[0], out var reason), reason);
    }

    [Fact]
    public void FrontendWithoutDefaultBackend_IsEligible() =>
        Assert.True(Eligible(NewConfig([Frontend("web", string.Empty, 8000)], [])));

    public static TheoryData<string> Unimplemented() =>
    [
        "mode tcp", "bind accept-proxy", "acl", "http-request", "use_backend", "capture", "frontend forwardfor",
        "server ssl", "server send-proxy", "server observe", "server maxqueue", "server cookie", "backend cookie",
        "backend stick-table", "backend forwarded", "timeout tunnel", "retry-on 503", "balance hdr", "http-response",
    ];

    [Theory]
    [MemberData(nameof(Unimplemented))]
    public void AFieldTheFastPathDoesNotImplement_SendsTheFrontendToYarp(string what)
    {
        var config = Plain();
        var frontend = config.Frontends[0];
        var backend = config.Backends[0];
        var server = backend.Servers[0];
        switch (what)
        {
            case "mode tcp": frontend.Mode = V1.Mode.Tcp; break;
            case "bind accept-proxy": frontend.Binds[0].AcceptProxy = true; break;
            case "acl": frontend.Acls.Add(new V1.Acl { Name = "x" }); break;
            case "http-request": frontend.HttpRequest.Add(new V1.HttpRule()); break;
            case "http-response": backend.HttpResponse.Add(new V1.HttpRule()); break;
            case "use_backend": frontend.UseBackends.Add(new V1.UseBackendRule { Backend = "app" }); break;
            case "capture": frontend.CaptureRequestHeaders.Add(new V1.HeaderCapture { Name = "Host", Len = 10 }); break;
            case "frontend forwardfor": frontend.Forwardfor = true; break;
            case "server ssl": server.Ssl = true; break;
            case "server send-proxy": server.SendProxy = V1.ProxyProtocolVersion.ProxyProtocolV2; break;
            case "server observe": server.Observe = V1.Observe.Layer7; break;
            case "server maxqueue": server.Maxqueue = 5; break;
            case "server cookie": server.Cookie = "a"; break;
            case "backend cookie": backend.Cookie = new V1.CookiePersistence(); break;
            case "backend stick-table": backend.StickTable = new V1.StickTable(); break;
            case "backend forwarded": backend.Forwarded = new V1.ForwardedOption { Proto = true }; break;
            case "timeout tunnel": backend.TimeoutTunnelMs = 1000; break;
            case "retry-on 503": backend.RetryOn.Add("503"); break;
            case "balance hdr": backend.Balance = V1.Balance.Hdr; backend.BalanceParam = "Host"; break;
            default: throw new ArgumentOutOfRangeException(nameof(what));
        }

        Assert.False(Eligible(config), what);
    }

    [Fact]
    public void Eligibility_DoesNotModifyTheConfiguration()
    {
        var config = Plain();
        var before = config.Clone();
        Eligible(config);
        Assert.Equal(before, config);
    }
}
