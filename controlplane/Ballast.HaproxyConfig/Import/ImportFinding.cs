namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// One reported line, or part of a line, of an imported haproxy.cfg: where it is, which keyword, and why it is not
/// (fully) in the model. Positions are 1-based, as in HAProxy's messages (<c>parsing [file:line]</c>).
/// </summary>
/// <param name="Line">1-based line number.</param>
/// <param name="Column">1-based column of the keyword or of the offending word.</param>
/// <param name="Section">The section it belongs to (<c>backend app</c>, <c>global</c>), or empty outside sections.</param>
/// <param name="Keyword">The keyword as HAProxy's manual names it: <c>timeout client</c>, <c>option redispatch</c>, <c>server backup</c>, <c>bind ssl</c>.</param>
/// <param name="Severity">Unsupported, ignored, warning or error.</param>
/// <param name="Reason">Why, starting with <c>unsupported:</c> or <c>ignored:</c> for those severities.</param>
public sealed record ImportFinding(int Line, int Column, string Section, string Keyword, FindingSeverity Severity, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{Line}:{Column} [{Section}] {Keyword}: {Severity} - {Reason}";
}
