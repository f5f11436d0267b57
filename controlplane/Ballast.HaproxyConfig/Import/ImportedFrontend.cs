using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>A frontend built from a frontend or listen section, with what the cross-reference checks need.</summary>
/// <param name="Model">The model frontend.</param>
/// <param name="Header">The section keyword line.</param>
/// <param name="DefaultBackend">Where <c>default_backend</c> was written, if it was (a listen routes to itself otherwise).</param>
/// <param name="UseBackends">Where each imported <c>use_backend</c> names its backend, in model order.</param>
internal sealed record ImportedFrontend(Frontend Model, ConfigStatement Header, Sourced<string>? DefaultBackend, IReadOnlyList<Sourced<string>> UseBackends);
