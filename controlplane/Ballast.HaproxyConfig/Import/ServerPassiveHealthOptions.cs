using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// The passive health options of a <c>server</c>/<c>default-server</c> line (manual, section 5.2): <c>observe
/// layer4|layer7</c>, <c>error-limit &lt;count&gt;</c> (more than 0) and <c>on-error
/// fastinter|fail-check|sudden-death|mark-down</c> map to the server's <c>observe</c>, <c>error_limit</c> and
/// <c>on_error</c>. Absent <c>on-error</c> is HAProxy's default <c>fail-check</c> on an observed server (the proto's
/// zero value, inert, on others). <c>observe layer7</c> in a mode tcp
/// backend is refused later by validation, as HAProxy refuses it.
/// </summary>
internal static class ServerPassiveHealthOptions
{
    /// <summary>Whether <paramref name="keyword"/> is handled here.</summary>
    public static bool Handles(string keyword) => keyword is "observe" or "error-limit" or "on-error";

    /// <summary>Reads the option at word <paramref name="index"/>; returns the extra words consumed (1).</summary>
    public static int Read(SectionScope scope, ConfigStatement statement, int index, ref ServerOptions options)
    {
        var keyword = statement[index];
        var line = statement.Line;
        var column = statement.ColumnOf(index);
        var argument = statement[index + 1];
        switch (keyword)
        {
            case "observe":
                Observe? observe = argument switch
                {
                    "none" => Observe.None,
                    "layer4" => Observe.Layer4,
                    "layer7" => Observe.Layer7,
                    _ => null,
                };
                if (observe is { } mode)
                {
                    options = options with { Observe = new(mode, line, column) };
                }
                else
                {
                    scope.Error(statement, index + 1, $"'observe' expects one of 'none', 'layer4', 'layer7' (got '{argument}')");
                }

                break;
            case "error-limit":
                if (Arguments.TryUInt(scope, statement, index + 1, keyword, 1, int.MaxValue, out var limit))
                {
                    options = options with { ErrorLimit = new(limit, line, column) };
                }

                break;
            default:
                OnError? onError = argument switch
                {
                    "fastinter" => OnError.Fastinter,
                    "fail-check" => OnError.FailCheck,
                    "sudden-death" => OnError.SuddenDeath,
                    "mark-down" => OnError.MarkDown,
                    _ => null,
                };
                if (onError is { } action)
                {
                    options = options with { OnError = new(action, line, column) };
                }
                else
                {
                    scope.Error(statement, index + 1, $"'on-error' expects one of 'fastinter', 'fail-check', 'sudden-death', 'mark-down' (got '{argument}')");
                }

                break;
        }

        return 1;
    }

    /// <summary>Sets the effective options on the model's server.</summary>
    public static void Apply(ServerOptions options, Server model)
    {
        model.Observe = options.Observe?.Value ?? Observe.None;
        model.ErrorLimit = options.ErrorLimit?.Value ?? 0;
        // HAProxy's default, fail-check, is the proto's zero value.
        model.OnError = options.OnError?.Value ?? OnError.FailCheck;
    }
}
