namespace Ballast.DataPlane.Proxy.FastPath;

/// <summary>
/// Node-wide switch of the HTTP/1.1 fast path: on (the default) serves every eligible <c>mode http</c> frontend
/// (see <see cref="FastPathEligibility"/>) on the fast path; off keeps every frontend on Kestrel + YARP. Set with the
/// environment variable <c>BALLAST_HTTP_FAST_PATH=on|off</c>.
/// </summary>
/// <param name="Enabled">Whether eligible frontends use the fast path.</param>
internal sealed record FastPathSettings(bool Enabled)
{
    /// <summary>The environment variable read by <see cref="FromEnvironment"/>.</summary>
    public const string Variable = "BALLAST_HTTP_FAST_PATH";

    /// <summary>
    /// Reads <see cref="Variable"/>: <c>off</c>/<c>0</c>/<c>false</c> disable the fast path, anything else (or
    /// unset) enables it.
    /// </summary>
    public static FastPathSettings FromEnvironment() =>
        new(Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant() is not ("off" or "0" or "false"));
}
