namespace Ballast.HaproxyConfig.Syntax;

/// <summary>
/// The <c>global</c> keywords that change the environment while the file is read (manual, section 3.1):
/// <c>setenv</c>, <c>presetenv</c>, <c>unsetenv</c> and <c>resetenv</c>. HAProxy applies them as it parses, so
/// <c>"${VAR}"</c> on later lines sees the change.
/// </summary>
internal static class EnvironmentDirectives
{
    /// <summary>Whether <paramref name="keyword"/> is one of these directives.</summary>
    public static bool IsDirective(string keyword) => keyword is "setenv" or "presetenv" or "unsetenv" or "resetenv";

    /// <summary>Applies <paramref name="statement"/> to <paramref name="environment"/> if it is one of these directives.</summary>
    public static void Apply(ConfigStatement statement, Dictionary<string, string> environment)
    {
        switch (statement.Keyword)
        {
            case "setenv" when statement.Count == 3:
                environment[statement[1]] = statement[2];
                break;
            case "presetenv" when statement.Count == 3:
                environment.TryAdd(statement[1], statement[2]);
                break;
            case "unsetenv":
                for (var i = 1; i < statement.Count; i++)
                {
                    environment.Remove(statement[i]);
                }

                break;
            case "resetenv":
                var keep = statement.Words.Skip(1).Select(w => w.Text).ToHashSet(StringComparer.Ordinal);
                foreach (var name in environment.Keys.Where(k => !keep.Contains(k)).ToArray())
                {
                    environment.Remove(name);
                }

                break;
        }
    }
}
