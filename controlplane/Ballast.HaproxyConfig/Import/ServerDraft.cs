using Ballast.HaproxyConfig.Syntax;

namespace Ballast.HaproxyConfig.Import;

/// <summary>A <c>server</c> line as read: name, address, port, and its options over the <c>default-server</c> in force.</summary>
/// <param name="Statement">The server line.</param>
/// <param name="Name">Server name.</param>
/// <param name="Address">IP literal or host name.</param>
/// <param name="Port">TCP port.</param>
/// <param name="Own">Options written on the line itself.</param>
/// <param name="Effective">Options in effect: the line's over the <c>default-server</c> in force when it was read.</param>
internal sealed record ServerDraft(ConfigStatement Statement, string Name, string Address, uint Port, ServerOptions Own, ServerOptions Effective);
