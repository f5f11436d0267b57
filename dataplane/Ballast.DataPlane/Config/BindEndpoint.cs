using System.Net;

namespace Ballast.DataPlane.Config;

/// <summary>A normalized listening endpoint, as HAProxy <c>bind &lt;address&gt;:&lt;port&gt;</c>.</summary>
/// <param name="Address">The IP address; <see cref="IPAddress.Any"/> for <c>*</c>.</param>
/// <param name="Port">The TCP port.</param>
internal readonly record struct BindEndpoint(IPAddress Address, int Port)
{
    /// <summary>Parses a bind address (<c>*</c>, empty, <c>localhost</c> or an IP literal) and port.</summary>
    /// <param name="address">The address text from the snapshot.</param>
    /// <param name="port">The port from the snapshot.</param>
    /// <param name="endpoint">The parsed endpoint.</param>
    /// <returns>False when the address is not an IP literal or the port is out of range.</returns>
    public static bool TryParse(string address, uint port, out BindEndpoint endpoint)
    {
        endpoint = default;
        if (port is 0 or > 65535)
        {
            return false;
        }

        IPAddress? ip;
        if (address.Length == 0 || address == "*")
        {
            ip = IPAddress.Any;
        }
        else if (string.Equals(address, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            ip = IPAddress.Loopback;
        }
        else
        {
            var text = address.Length > 2 && address[0] == '[' && address[^1] == ']' ? address[1..^1] : address;
            if (!IPAddress.TryParse(text, out ip))
            {
                return false;
            }
        }

        endpoint = new BindEndpoint(ip, (int)port);
        return true;
    }

    /// <summary>The endpoint to hand to Kestrel.</summary>
    public IPEndPoint ToIPEndPoint() => new(Address, Port);

    /// <inheritdoc />
    public override string ToString() => new IPEndPoint(Address, Port).ToString();
}
