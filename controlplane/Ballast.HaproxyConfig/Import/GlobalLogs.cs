using Ballast.HaproxyConfig.Logging;
using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// The <c>log</c> lines of the <c>global</c> section read so far, which <c>log global</c> in a proxy copies (HAProxy
/// resolves it when it reads the line). Local to one import.
/// </summary>
internal sealed class GlobalLogs
{
    private readonly List<LogTarget> _targets = [];

    /// <summary>The targets the model holds.</summary>
    public IReadOnlyList<LogTarget> Targets => _targets;

    /// <summary>Global <c>log</c> lines that HAProxy accepts but the model cannot hold.</summary>
    public int Unmapped { get; private set; }

    /// <summary>Reads a global <c>log</c> line, mapping or reporting it.</summary>
    public void Map(SectionScope scope, ConfigStatement statement)
    {
        var words = statement.Words.Skip(1).Select(w => w.Text).ToArray();
        if (!HaproxyLog.TryParse(words, out var target, out var error))
        {
            Unmapped += error.Unsupported ? 1 : 0;
            scope.Report(statement, error.WordIndex + 1, "log", error.Unsupported ? FindingSeverity.Unsupported : FindingSeverity.Error, error.Message);
            return;
        }

        if (HaproxyLog.IsFile(target.Address))
        {
            Unmapped++;
            scope.Report(statement, 1, "log", FindingSeverity.Unsupported, LogMapper.UnixSocket(target.Address));
            return;
        }

        _targets.Add(target);
        scope.Mapped(statement, $"global: log {HaproxyLog.Format(target)} (for 'log global')");
    }
}
