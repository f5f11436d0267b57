using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ballast.DataPlane.Tls;

/// <summary>
/// What Kestrel's <c>ListenOptions.UseHttps</c> resolves from the application services: the meter factory and
/// Kestrel's internal <c>KestrelMetrics</c>, which ASP.NET Core registers only in <c>UseKestrel()</c> hosts (the
/// node builds its per-bind <see cref="KestrelServer"/>s itself, so it registers them here).
/// </summary>
internal static class KestrelTlsServices
{
    private const string KestrelMetricsType = "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Infrastructure.KestrelMetrics";

    /// <summary>Registers the services.</summary>
    /// <param name="services">The node's services.</param>
    /// <exception cref="TypeLoadException">This ASP.NET Core version has no such type (the HTTPS middleware would fail).</exception>
    public static IServiceCollection AddKestrelTls(this IServiceCollection services)
    {
        services.AddMetrics();
        var metrics = typeof(KestrelServer).Assembly.GetType(KestrelMetricsType, throwOnError: true)!;
        services.TryAddSingleton(metrics);
        return services;
    }
}
