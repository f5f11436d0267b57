namespace Ballast.HaproxyConfig.Syntax;

/// <summary>The value of a <c>.if</c>/<c>.elif</c> condition, or why it could not be evaluated.</summary>
/// <param name="Value">The condition's value (false on error).</param>
/// <param name="Error">HAProxy's reason for rejecting the expression, or null.</param>
/// <param name="ErrorOffset">0-based offset in the expression text where the error was found.</param>
internal readonly record struct ConditionResult(bool Value, string? Error, int ErrorOffset)
{
    /// <summary>A failed evaluation.</summary>
    public static ConditionResult Fail(string error, int offset) => new(false, error, offset);
}
