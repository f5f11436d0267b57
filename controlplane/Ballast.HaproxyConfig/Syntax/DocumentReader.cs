namespace Ballast.HaproxyConfig.Syntax;

/// <summary>
/// One reading of one file: walks the lines, resolves conditional blocks and preprocessor messages
/// (manual, section 2.4), groups statements into sections (2.1) and applies <c>setenv</c>-style directives of
/// <c>global</c> (section 3.1) to the environment seen by later lines, as HAProxy does while it parses.
/// </summary>
internal sealed class DocumentReader
{
    private readonly ParseOptions _options;
    private readonly Dictionary<string, string> _environment;
    private readonly LineTokenizer _tokenizer;
    private readonly ConditionEvaluator _conditions;
    private readonly ConditionalBlocks _blocks = new();
    private readonly Dictionary<int, ConfigWord> _directives = [];
    private readonly List<SyntaxDiagnostic> _diagnostics = [];
    private readonly List<ConfigStatement> _preamble = [];
    private readonly List<ConfigSection> _sections = [];
    private readonly HaproxyVersion _version;
    private List<ConfigStatement>? _statements;
    private ConfigStatement? _header;
    private string _sectionName = string.Empty;
    private int _lineNumber;

    /// <summary>Prepares a reading with <paramref name="options"/>.</summary>
    public DocumentReader(ParseOptions options)
    {
        _options = options;
        _environment = new Dictionary<string, string>(options.Environment, StringComparer.Ordinal);
        _tokenizer = new LineTokenizer(Lookup);
        if (!HaproxyVersion.TryParse(options.HaproxyVersion, out _version))
        {
            throw new ArgumentException($"'{options.HaproxyVersion}' is not an HAProxy version", nameof(options));
        }

        _conditions = new ConditionEvaluator(_environment.ContainsKey, options.Features, _version);
    }

    /// <summary>Reads the whole <paramref name="text"/>.</summary>
    public ConfigDocument Read(string text)
    {
        var start = 0;
        var lastLineHasContent = false;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            var line = end < 0 ? text[start..] : text[start..end];
            _lineNumber++;
            ReadLine(line);
            lastLineHasContent = end < 0 && line.AsSpan().Trim().Length > 0;
            start = end < 0 ? text.Length : end + 1;
        }

        EndSection();
        if (lastLineHasContent)
        {
            Add(_lineNumber, 1, string.Empty, DiagnosticSeverity.Warning,
                "missing LF on last line: HAProxy 2.6 refuses such a file as possibly truncated");
        }

        if (_blocks.Depth > 0)
        {
            Add(_lineNumber, 1, ".if", DiagnosticSeverity.Error, "non-terminated '.if' block");
        }

        return new ConfigDocument(_preamble, _sections, _diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column).ToArray());
    }

    private void ReadLine(string line)
    {
        var indent = 0;
        while (indent < line.Length && (LineTokenizer.IsBlank(line[indent]) || line[indent] == '\r'))
        {
            indent++;
        }

        if (indent < line.Length && line[indent] == '[')
        {
            if (_blocks.IsActive)
            {
                Add(_lineNumber, indent + 1, "[", DiagnosticSeverity.Notice, "ignored: configuration scope line");
            }

            return;
        }

        var tokens = _tokenizer.Tokenize(line, _lineNumber);
        if (tokens.Error is not null)
        {
            _diagnostics.Add(tokens.Error);
            return;
        }

        if (tokens.IsEmpty)
        {
            return;
        }

        var words = tokens.Words;
        if (words[0].Text[0] == '.' && TryConditional(words))
        {
            return;
        }

        if (!_blocks.IsActive)
        {
            return;
        }

        if (tokens.TrailingBackslashColumn > 0)
        {
            Add(_lineNumber, tokens.TrailingBackslashColumn, words[0].Text, DiagnosticSeverity.Warning,
                "HAProxy has no line continuation: the backslash ending this line is kept as a character and the next line is a new statement");
        }

        if (words[0].Text[0] == '.')
        {
            Message(words);
            return;
        }

        var statement = new ConfigStatement(_lineNumber, words);
        if (SectionKeywords.IsSection(statement.Keyword))
        {
            EndSection();
            _header = statement;
            _statements = [];
            _sectionName = statement.Count > 1 ? statement[1] : statement.Keyword;
            return;
        }

        (_statements ?? _preamble).Add(statement);
        if (_header?.Keyword == SectionKeywords.Global)
        {
            EnvironmentDirectives.Apply(statement, _environment);
        }
    }

    private bool TryConditional(IReadOnlyList<ConfigWord> words)
    {
        var directive = words[0];
        string? error = null;
        var excludedFrom = 0;
        switch (directive.Text)
        {
            case ".if":
                var wasActive = _blocks.IsActive;
                _blocks.If(wasActive && Evaluate(words), _lineNumber);
                break;
            case ".elif":
                var condition = _blocks.MustEvaluateElif && Evaluate(words);
                error = _blocks.Elif(condition, _lineNumber, out excludedFrom);
                break;
            case ".else":
                error = _blocks.Else(_lineNumber, out excludedFrom);
                break;
            case ".endif":
                error = _blocks.EndIf(out excludedFrom);
                break;
            default:
                return false;
        }

        _directives[_lineNumber] = directive;
        if (error is not null)
        {
            Add(_lineNumber, directive.Column, directive.Text, DiagnosticSeverity.Error, error);
        }

        if (excludedFrom > 0 && excludedFrom < _lineNumber - 1 && _directives.TryGetValue(excludedFrom, out var opener))
        {
            Add(excludedFrom, opener.Column, opener.Text, DiagnosticSeverity.Notice,
                $"ignored: lines {excludedFrom + 1}-{_lineNumber - 1} are excluded by the condition");
        }

        return true;
    }

    private bool Evaluate(IReadOnlyList<ConfigWord> words)
    {
        var text = string.Join(' ', words.Skip(1).Select(w => w.Text));
        var result = _conditions.Evaluate(text);
        if (result.Error is null)
        {
            return result.Value;
        }

        Add(_lineNumber, ColumnAt(words, result.ErrorOffset), words[0].Text, DiagnosticSeverity.Error, result.Error);
        return false;
    }

    private void Message(IReadOnlyList<ConfigWord> words)
    {
        var directive = words[0];
        var severity = directive.Text switch
        {
            ".alert" => DiagnosticSeverity.Error,
            ".warning" => DiagnosticSeverity.Warning,
            ".notice" or ".diag" => DiagnosticSeverity.Notice,
            _ => (DiagnosticSeverity?)null,
        };
        if (severity is null)
        {
            Add(_lineNumber, directive.Column, directive.Text, DiagnosticSeverity.Error, $"unknown directive '{directive.Text}'");
            return;
        }

        if (words.Count > 2 && words[2].Text.Length > 0)
        {
            Add(_lineNumber, words[2].Column, directive.Text, DiagnosticSeverity.Error,
                $"unexpected argument '{words[2].Text}' for '{directive.Text}': use quotes if the message should contain spaces");
            return;
        }

        var text = words.Count > 1 ? words[1].Text : string.Empty;
        Add(_lineNumber, directive.Column, directive.Text, severity.Value, $"{directive.Text[1..]}: {text}");
    }

    private void EndSection()
    {
        if (_header is not null && _statements is not null)
        {
            _sections.Add(new ConfigSection(_header.Keyword, _header, _statements));
        }

        _header = null;
        _statements = null;
    }

    private string? Lookup(string name) => name switch
    {
        ".LINE" => _lineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ".FILE" => _options.FileName,
        ".SECTION" => _sectionName,
        _ => _environment.GetValueOrDefault(name),
    };

    private void Add(int line, int column, string keyword, DiagnosticSeverity severity, string message) =>
        _diagnostics.Add(new SyntaxDiagnostic(line, column, keyword, severity, message));

    /// <summary>Maps an offset in the space-joined condition back to a column of the line.</summary>
    private static int ColumnAt(IReadOnlyList<ConfigWord> words, int offset)
    {
        for (var w = 1; w < words.Count; w++)
        {
            if (offset <= words[w].Text.Length || w == words.Count - 1)
            {
                return words[w].Column + Math.Min(offset, words[w].Text.Length);
            }

            offset -= words[w].Text.Length + 1;
        }

        return words[0].Column + words[0].Text.Length + 1;
    }
}
