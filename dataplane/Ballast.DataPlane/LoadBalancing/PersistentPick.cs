using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>The outcome of persistence for one request.</summary>
/// <param name="Server">The persistent server, with a slot taken; null when the request must be balanced or refused.</param>
/// <param name="Refused">
/// The persistent server that refused the request (its queue at <c>maxqueue</c> without <c>option redispatch</c>, or
/// <c>timeout queue</c> expired): the client gets a 503; null otherwise.
/// </param>
internal readonly record struct PersistentPick(ServerRuntime? Server, ServerRuntime? Refused);
