namespace Ballast.ControlPlane.Validation;

/// <summary>One reason a configuration or an edit is rejected.</summary>
/// <param name="Object">The object, e.g. <c>backend 'app' server 's1'</c>.</param>
/// <param name="Field">The field in admin API (camelCase) terms, e.g. <c>port</c> or <c>healthCheck.interMs</c>.</param>
/// <param name="Message">What is wrong, e.g. <c>must be 1-65535 (got 0)</c>.</param>
public sealed record ValidationError(string Object, string Field, string Message)
{
    /// <summary>The error as one line: <c>backend 'app' server 's1': port: must be 1-65535 (got 0)</c>.</summary>
    public override string ToString() => $"{Object}: {Field}: {Message}";
}

/// <summary>How objects are named in validation errors.</summary>
internal static class ObjectNames
{
    /// <summary><c>frontend 'web'</c>.</summary>
    public static string Frontend(string name) => $"frontend '{name}'";

    /// <summary><c>backend 'app'</c>.</summary>
    public static string Backend(string name) => $"backend '{name}'";

    /// <summary><c>backend 'app' server 's1'</c>.</summary>
    public static string Server(string backend, string server) => $"backend '{backend}' server '{server}'";
}
