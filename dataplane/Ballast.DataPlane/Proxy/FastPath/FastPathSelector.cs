using System.Runtime.CompilerServices;
using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.Proxy.FastPath;

/// <summary>
/// Whether a frontend of the served model uses the fast path: decided for all frontends of a model the first time
/// a connection asks after the model was applied (so per snapshot, never per request), and cached with the model.
/// A frontend that is not part of the current model (a connection racing a swap) takes the YARP path.
/// </summary>
internal sealed class FastPathSelector(FastPathSettings settings, RuntimeModelHolder holder)
{
    private readonly ConditionalWeakTable<RuntimeModel, HashSet<FrontendRuntime>> _eligible = new();

    /// <summary>Whether connections of <paramref name="frontend"/> go to the fast path.</summary>
    /// <param name="frontend">The frontend owning the bind.</param>
    public bool UsesFastPath(FrontendRuntime frontend)
    {
        if (!settings.Enabled || frontend.Mode != Proto.V1.Mode.Http)
        {
            return false;
        }

        var model = holder.Current;
        return _eligible.GetValue(model, Evaluate).Contains(frontend);
    }

    /// <summary>The frontends of <paramref name="model"/> that are eligible.</summary>
    /// <param name="model">A model.</param>
    internal static HashSet<FrontendRuntime> Evaluate(RuntimeModel model)
    {
        var eligible = new HashSet<FrontendRuntime>(ReferenceEqualityComparer.Instance);
        foreach (var frontend in model.Frontends)
        {
            var source = model.Source.Frontends.FirstOrDefault(f => f.Name == frontend.Name);
            if (source is not null
                && frontend.Rules is null
                && frontend.DefaultBackend?.Rules is null
                && FastPathEligibility.IsEligible(model.Source, source, out _))
            {
                eligible.Add(frontend);
            }
        }

        return eligible;
    }
}
