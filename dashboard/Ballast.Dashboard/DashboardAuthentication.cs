namespace Ballast.Dashboard;

/// <summary>Names used by the dashboard's cookie authentication.</summary>
public static class DashboardAuthentication
{
    /// <summary>The cookie authentication scheme the dashboard signs in with.</summary>
    public const string Scheme = "Ballast.Dashboard";

    /// <summary>The authorization policy every dashboard page (and its Blazor hub) requires.</summary>
    public const string Policy = "Ballast.Dashboard";

    /// <summary>Name of the authentication cookie.</summary>
    public const string CookieName = "ballast_dashboard";

    /// <summary>User name of a principal signed in with the admin token; also the author of edits and publishes.</summary>
    public const string AdminUserName = "admin";

    /// <summary>Path of the sign-in page.</summary>
    public const string LoginPath = "/login";

    /// <summary>Path the sign-out form posts to.</summary>
    public const string LogoutPath = "/logout";

    /// <summary>
    /// Whether <paramref name="url"/> is a local path ("/..." but not "//..." or "/\..."): guards the post-login
    /// redirect against open redirects.
    /// </summary>
    public static bool IsLocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
