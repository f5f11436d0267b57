using System.Net;

namespace Ballast.DataPlane.Rules;

/// <summary>An address or CIDR network of a <c>src</c> pattern (IPv4 patterns also match IPv4-mapped IPv6 clients).</summary>
/// <param name="Network">The network.</param>
internal readonly record struct IpNetwork(IPNetwork Network)
{
    /// <summary>Whether <paramref name="address"/> is inside the network.</summary>
    /// <param name="address">The client address.</param>
    public bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6 && Network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            address = address.MapToIPv4();
        }

        return Network.Contains(address);
    }
}
