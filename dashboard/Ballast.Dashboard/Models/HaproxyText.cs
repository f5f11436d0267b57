using System.Globalization;
using Ballast.Proto.V1;

namespace Ballast.Dashboard.Models;

/// <summary>HAProxy vocabulary for configuration values, as an operator reads them in haproxy.cfg and on the stats page.</summary>
public static class HaproxyText
{
    /// <summary>HAProxy's default check interval (<c>inter</c>), ms.</summary>
    public const uint DefaultInterMs = 2000;

    /// <summary>HAProxy's default <c>rise</c>.</summary>
    public const uint DefaultRise = 2;

    /// <summary>HAProxy's default <c>fall</c>.</summary>
    public const uint DefaultFall = 3;

    /// <summary><c>http</c> or <c>tcp</c>.</summary>
    public static string Mode(Mode mode) => mode == Proto.V1.Mode.Tcp ? "tcp" : "http";

    /// <summary>The <c>balance</c> keyword.</summary>
    public static string Balance(Balance balance) => balance switch
    {
        Proto.V1.Balance.Roundrobin => "roundrobin",
        Proto.V1.Balance.StaticRr => "static-rr",
        Proto.V1.Balance.Leastconn => "leastconn",
        Proto.V1.Balance.First => "first",
        Proto.V1.Balance.Source => "source",
        Proto.V1.Balance.Uri => "uri",
        Proto.V1.Balance.UrlParam => "url_param",
        Proto.V1.Balance.Hdr => "hdr",
        Proto.V1.Balance.Random => "random",
        _ => balance.ToString().ToLowerInvariant(),
    };

    /// <summary><c>ready</c>, <c>drain</c> or <c>maint</c>, as <c>set server ... state</c>.</summary>
    public static string State(ServerState state) => state switch
    {
        ServerState.Drain => "drain",
        ServerState.Maint => "maint",
        _ => "ready",
    };

    /// <summary>The server weight, applying HAProxy's default of 1 when unset.</summary>
    public static uint Weight(Server server) => server.HasWeight ? server.Weight : 1;

    /// <summary>
    /// One-line summary of a backend's health check, with HAProxy's defaults applied, e.g.
    /// <c>httpchk GET /health expect 200 · inter 2000ms rise 2 fall 3</c>; <c>no check</c> when disabled.
    /// </summary>
    public static string HealthCheck(HealthCheck? check)
    {
        if (check is null || check.Type == HealthCheckType.HealthCheckNone)
        {
            return "no check";
        }

        var inter = check.InterMs == 0 ? DefaultInterMs : check.InterMs;
        var rise = check.Rise == 0 ? DefaultRise : check.Rise;
        var fall = check.Fall == 0 ? DefaultFall : check.Fall;
        var timing = string.Create(CultureInfo.InvariantCulture, $"inter {inter}ms rise {rise} fall {fall}");
        if (check.TimeoutMs != 0)
        {
            timing += string.Create(CultureInfo.InvariantCulture, $" timeout {check.TimeoutMs}ms");
        }

        if (check.Type == HealthCheckType.HealthCheckTcp)
        {
            return "tcp-check · " + timing;
        }

        var method = string.IsNullOrEmpty(check.HttpMethod) ? "OPTIONS" : check.HttpMethod;
        var path = string.IsNullOrEmpty(check.HttpPath) ? "/" : check.HttpPath;
        var expect = check.ExpectStatus == 0 ? "2xx/3xx" : check.ExpectStatus.ToString(CultureInfo.InvariantCulture);
        return $"httpchk {method} {path} expect {expect} · {timing}";
    }

    /// <summary>"now", "42s ago", "5m ago", "3h ago" or "2d ago".</summary>
    public static string Ago(DateTimeOffset when, DateTimeOffset now)
    {
        var elapsed = now - when;
        if (elapsed < TimeSpan.FromSeconds(1))
        {
            return "now";
        }

        return elapsed switch
        {
            { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalSeconds}s ago"),
            { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalMinutes}m ago"),
            { TotalDays: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalHours}h ago"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalDays}d ago"),
        };
    }

    /// <summary>UTC timestamp as <c>2026-11-21 14:03:07 UTC</c>.</summary>
    public static string Utc(DateTimeOffset when) =>
        when.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A counter with narrow no-break space thousands separators, e.g. <c>1 234 567</c>.</summary>
    public static string Count(ulong value) =>
        value.ToString("#,0", CultureInfo.InvariantCulture).Replace(",", "\u202F", StringComparison.Ordinal);

    /// <summary>A rate per second: one decimal below 10, integer above.</summary>
    public static string Rate(double perSecond) => perSecond switch
    {
        <= 0 => "0",
        < 10 => perSecond.ToString("0.#", CultureInfo.InvariantCulture),
        _ => Count((ulong)Math.Round(perSecond)),
    };
}
