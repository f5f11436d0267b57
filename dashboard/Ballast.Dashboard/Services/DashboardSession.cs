namespace Ballast.Dashboard.Services;

/// <summary>
/// State shared by the components of one dashboard circuit (one browser tab): the latest published version as last
/// seen, and whether this session edited the working configuration since it last published.
/// </summary>
public sealed class DashboardSession
{
    /// <summary>The latest published version as last seen, or null if none (or not loaded yet).</summary>
    public long? LatestVersion { get; private set; }

    /// <summary>Whether this session saved a server edit since its last publish.</summary>
    public bool HasLocalEdits { get; private set; }

    /// <summary>Raised when <see cref="LatestVersion"/> or <see cref="HasLocalEdits"/> changes.</summary>
    public event Action? Changed;

    /// <summary>Records the latest published version.</summary>
    public void SetLatestVersion(long? version)
    {
        if (LatestVersion == version)
        {
            return;
        }

        LatestVersion = version;
        Changed?.Invoke();
    }

    /// <summary>Records that a server edit was saved to the working configuration.</summary>
    public void MarkEdited()
    {
        if (HasLocalEdits)
        {
            return;
        }

        HasLocalEdits = true;
        Changed?.Invoke();
    }

    /// <summary>Records a successful publish.</summary>
    public void MarkPublished(long version)
    {
        var changed = HasLocalEdits || LatestVersion != version;
        HasLocalEdits = false;
        LatestVersion = version;
        if (changed)
        {
            Changed?.Invoke();
        }
    }
}
