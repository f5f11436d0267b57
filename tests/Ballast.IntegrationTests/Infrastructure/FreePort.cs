namespace Ballast.IntegrationTests.Infrastructure;

/// <summary>Free TCP ports on 127.0.0.1 for the processes a test starts (see <see cref="Ballast.Tests.Shared.Ports"/>).</summary>
internal static class FreePort
{
    /// <summary>A port that was free a moment ago, below the ephemeral range, not handed out before in this run.</summary>
    public static int Next() => Ballast.Tests.Shared.Ports.GetFreePort();
}
