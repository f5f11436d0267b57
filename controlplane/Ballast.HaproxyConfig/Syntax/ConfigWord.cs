namespace Ballast.HaproxyConfig.Syntax;

/// <summary>
/// One word of a configuration line after unquoting, unescaping and environment expansion
/// (HAProxy manual, section 2.2 "Quoting and escaping" and 2.3 "Environment variables").
/// </summary>
/// <param name="Text">The word as HAProxy sees it: quotes and escapes removed, variables expanded.</param>
/// <param name="Column">1-based column in the physical line where the word starts (its opening quote, if any).</param>
public sealed record ConfigWord(string Text, int Column)
{
    /// <inheritdoc />
    public override string ToString() => Text;
}
