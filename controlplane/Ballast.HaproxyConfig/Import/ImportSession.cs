using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// One import of a read document: walks the sections in file order, keeps the <c>defaults</c> inheritance chain
/// (manual, section 4), maps proxy sections, reports the others, then checks references between sections.
/// </summary>
internal sealed class ImportSession
{
    private readonly ConfigDocument _document;
    private readonly ReportBuilder _report = new();
    private readonly DefaultsRegistry _defaults = new();
    private readonly GlobalLogs _globalLogs = new();
    private readonly SectionLocator _locator;
    private readonly List<ImportedFrontend> _frontends = [];
    private readonly Dictionary<string, ConfigStatement> _frontendNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConfigStatement> _backendNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Backend> _backends = new(StringComparer.Ordinal);
    private readonly Config _config = new();

    /// <summary>Prepares the import of <paramref name="document"/>.</summary>
    public ImportSession(ConfigDocument document)
    {
        _document = document;
        _locator = new SectionLocator(document);
    }

    /// <summary>Runs the import.</summary>
    public ImportResult Run()
    {
        ReportDiagnostics();
        foreach (var statement in _document.Preamble)
        {
            _report.Add(new ImportFinding(statement.Line, statement.Column, string.Empty, KeywordNames.Of(statement), FindingSeverity.Error,
                $"unknown keyword '{statement.Keyword}' out of section"));
        }

        foreach (var section in _document.Sections)
        {
            MapSection(new SectionScope(section, _report));
        }

        CrossReferences.Check(_frontends, _backends, _locator, _report);
        return new ImportResult(_config, _report.Build());
    }

    private void MapSection(SectionScope scope)
    {
        switch (scope.Section.Type)
        {
            case SectionKeywords.Global:
                GlobalSectionMapper.Map(scope, _globalLogs);
                break;
            case SectionKeywords.Defaults:
                MapDefaults(scope);
                break;
            case SectionKeywords.Frontend:
                MapProxy(scope, ProxyKind.Frontend);
                break;
            case SectionKeywords.Backend:
                MapProxy(scope, ProxyKind.Backend);
                break;
            case SectionKeywords.Listen:
                MapProxy(scope, ProxyKind.Listen);
                break;
            default:
                ReportWholeSection(scope, FindingSeverity.Unsupported, Reasons.SectionNotInModel(scope.Section.Type));
                break;
        }
    }

    private void MapDefaults(SectionScope scope)
    {
        var header = scope.Section.Header;
        var (name, fromIndex) = header[1] == "from" ? (string.Empty, 1) : (header[1], header[2] == "from" ? 2 : 0);
        var lastIndex = fromIndex > 0 ? fromIndex + 1 : name.Length > 0 ? 1 : 0;
        if (!Arguments.NoMoreThan(scope, header, lastIndex, "defaults") || !TryInherit(scope, header, fromIndex, ProxySettings.Documented, out var inherited))
        {
            ReportWholeSection(scope, FindingSeverity.Error, $"ignored: the defaults section on line {header.Line} is invalid");
            return;
        }

        var draft = new ProxyDraft(scope, ProxyKind.Defaults, name, inherited) { GlobalLogs = _globalLogs };
        scope.Mapped(header, name.Length > 0 ? $"defaults {name}" : "defaults");
        ProxySectionMapper.Map(draft);
        _defaults.Add(name, draft.Settings);
    }

    private void MapProxy(SectionScope scope, ProxyKind kind)
    {
        var header = scope.Section.Header;
        if (!CheckProxyHeader(scope, header, out var fromIndex) || !TryInherit(scope, header, fromIndex, _defaults.Current, out var inherited))
        {
            ReportWholeSection(scope, FindingSeverity.Error, $"ignored: the section on line {header.Line} is not imported");
            return;
        }

        var name = header[1];
        var imported = false;
        var draft = new ProxyDraft(scope, kind, name, inherited) { GlobalLogs = _globalLogs };
        if (fromIndex == 0 && header.Count == 3)
        {
            LegacyHeaderAddress(draft, header);
        }

        ProxySectionMapper.Map(draft);
        if (kind != ProxyKind.Backend && ClaimName(_frontendNames, scope, header, "frontend"))
        {
            AddFrontend(draft);
            imported = true;
        }

        if (kind != ProxyKind.Frontend && ClaimName(_backendNames, scope, header, "backend"))
        {
            var backend = BackendAssembler.Build(draft);
            _backendNames[name] = header;
            _backends[name] = backend;
            _config.Backends.Add(backend);
            imported = true;
        }

        if (imported)
        {
            scope.Mapped(header, $"{scope.Section.Type} {name}");
        }
    }

    private void AddFrontend(ProxyDraft draft)
    {
        var settings = draft.Settings;
        var listen = draft.Kind == ProxyKind.Listen;
        var frontend = new Frontend
        {
            Name = draft.Name,
            Mode = settings.Mode?.Value ?? Mode.Tcp,
            DefaultBackend = settings.DefaultBackend?.Value ?? (listen ? draft.Name : string.Empty),
            Maxconn = settings.Maxconn?.Value ?? 0,
            TimeoutClientMs = settings.Traffic.TimeoutClientMs?.Value ?? 0,
        };
        RuleMapper.Apply(draft, frontend);
        ProxyHeaderImport.ApplyFrontend(settings.Traffic, frontend, draft.Kind);
        frontend.Binds.AddRange(draft.Binds);
        LogMapper.Apply(draft, frontend);
        CaptureMapper.Apply(draft, frontend);
        _frontendNames[draft.Name] = draft.Scope.Section.Header;
        _frontends.Add(new ImportedFrontend(frontend, draft.Scope.Section.Header, settings.DefaultBackend, draft.Rules.UseBackendSources));
        _config.Frontends.Add(frontend);
    }

    private static bool ClaimName(IReadOnlyDictionary<string, ConfigStatement> taken, SectionScope scope, ConfigStatement header, string side)
    {
        if (!taken.TryGetValue(header[1], out var other))
        {
            return true;
        }

        scope.Error(header, 1, $"{side} '{header[1]}' has the same name as the {other.Keyword} declared at line {other.Line}; this one is not imported");
        return false;
    }

    private static bool CheckProxyHeader(SectionScope scope, ConfigStatement header, out int fromIndex)
    {
        fromIndex = header[2] == "from" ? 2 : 0;
        var name = header[1];
        if (name.Length == 0)
        {
            scope.Error(header, 1, $"'{header.Keyword}' expects a name");
            return false;
        }

        if (ProxyNames.InvalidCharacter(name) is { } bad)
        {
            scope.Error(header, 1, $"character '{bad}' is not permitted in {header.Keyword} name '{name}'");
            return false;
        }

        if (name.Length > ProxyNames.MaxLength)
        {
            scope.Report(header, 1, header.Keyword, FindingSeverity.Unsupported,
                $"unsupported: names longer than {ProxyNames.MaxLength} characters are not in the Ballast model");
            return false;
        }

        var legacyAddress = fromIndex == 0 && header.Keyword is SectionKeywords.Listen or SectionKeywords.Frontend ? 2 : 1;
        return Arguments.NoMoreThan(scope, header, fromIndex > 0 ? 3 : legacyAddress, header.Keyword);
    }

    /// <summary>
    /// HAProxy 1.x accepted the listening address on the section line (<c>listen web 0.0.0.0:80</c>); 2.x refuses it
    /// ("please use the 'bind' keyword"). The address is imported as a bind, with a warning.
    /// </summary>
    private static void LegacyHeaderAddress(ProxyDraft draft, ConfigStatement header)
    {
        var bind = new ConfigStatement(header.Line, [new ConfigWord("bind", header.Words[2].Column), header.Words[2]]);
        draft.Scope.Report(header, 2, header.Keyword, FindingSeverity.Warning,
            "a listening address on the section line is HAProxy 1.x syntax that 2.x refuses ('please use the bind keyword'); imported as 'bind'");
        BindMapper.Map(draft, bind);
    }

    private bool TryInherit(SectionScope scope, ConfigStatement header, int fromIndex, ProxySettings implicitDefaults, out ProxySettings inherited)
    {
        inherited = implicitDefaults;
        if (fromIndex == 0)
        {
            return true;
        }

        if (header.Count <= fromIndex + 1)
        {
            scope.Error(header, fromIndex + 1, "'from' expects the name of a defaults section");
            return false;
        }

        if (!_defaults.TryGet(header[fromIndex + 1], out inherited, out var error))
        {
            scope.Error(header, fromIndex + 1, error!);
            return false;
        }

        return true;
    }

    private static void ReportWholeSection(SectionScope scope, FindingSeverity severity, string reason)
    {
        if (severity != FindingSeverity.Error)
        {
            scope.Report(scope.Section.Header, severity, reason);
        }

        foreach (var statement in scope.Section.Statements)
        {
            scope.Report(statement, severity == FindingSeverity.Error ? FindingSeverity.Ignored : severity, reason);
        }
    }

    private void ReportDiagnostics()
    {
        foreach (var diagnostic in _document.Diagnostics)
        {
            var (severity, reason) = diagnostic.Severity switch
            {
                DiagnosticSeverity.Error => (FindingSeverity.Error, diagnostic.Message),
                DiagnosticSeverity.Warning => (FindingSeverity.Warning, diagnostic.Message),
                _ => (FindingSeverity.Ignored, diagnostic.Message.StartsWith("ignored:", StringComparison.Ordinal) ? diagnostic.Message : $"ignored: {diagnostic.Message}"),
            };
            _report.Add(new ImportFinding(diagnostic.Line, diagnostic.Column, _locator.SectionOf(diagnostic.Line), diagnostic.Keyword, severity, reason));
        }
    }
}
