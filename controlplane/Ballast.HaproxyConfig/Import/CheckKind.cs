namespace Ballast.HaproxyConfig.Import;

/// <summary>The kind of active check a proxy selects (manual, section 4.2, <c>option httpchk</c> and its siblings).</summary>
internal enum CheckKind
{
    /// <summary>A TCP connect check (<c>option tcp-check</c> without rules, or a check type mapped down to it).</summary>
    Tcp,

    /// <summary>An HTTP check (<c>option httpchk</c>).</summary>
    Http,
}
