namespace Ballast.DataPlane.Config;

/// <summary>
/// The one volatile reference to the model being served. Request handlers read it once per request; an apply
/// replaces it in one write, so every request sees a single consistent configuration.
/// </summary>
internal sealed class RuntimeModelHolder
{
    private volatile RuntimeModel _current = RuntimeModel.Empty;

    /// <summary>The model being served.</summary>
    public RuntimeModel Current => _current;

    /// <summary>Publishes <paramref name="model"/> atomically.</summary>
    /// <param name="model">The new model.</param>
    public void Swap(RuntimeModel model) => _current = model;
}
