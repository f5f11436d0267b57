using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.Rules;

/// <summary>A compiled <c>use_backend &lt;backend&gt; if|unless &lt;cond&gt;</c>.</summary>
/// <param name="Backend">Target backend.</param>
/// <param name="Condition">Condition, or null for "always".</param>
internal sealed record UseBackendRuntime(BackendRuntime Backend, CompiledCondition? Condition);
