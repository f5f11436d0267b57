namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// A line of the haproxy.cfg that went into the model, and where: the positive half of the import report, so that
/// every statement is either mapped, reported, or both (a <c>server</c> line with an unsupported option).
/// </summary>
/// <param name="Line">1-based line number.</param>
/// <param name="Section">The section of the line (<c>backend app</c>).</param>
/// <param name="Keyword">The keyword (<c>server</c>, <c>option httpchk</c>).</param>
/// <param name="Target">What it set: <c>backend app: server s1</c>, <c>defaults: mode (inherited)</c>.</param>
public sealed record MappedStatement(int Line, string Section, string Keyword, string Target);
