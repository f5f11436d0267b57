using System.Text.RegularExpressions;
using Ballast.DataPlane.StickTables;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Rules;

/// <summary>
/// A compiled <c>http-request</c> / <c>http-response</c> rule (HAProxy section 4.3): the action with its arguments
/// resolved (status defaults, regex compiled, replacement converted, body encoded) and its condition.
/// </summary>
internal sealed class HttpRuleRuntime
{
    /// <summary>The action.</summary>
    public required V1.HttpAction Action { get; init; }

    /// <summary>The condition, or null for "always".</summary>
    public required CompiledCondition? Condition { get; init; }

    /// <summary>Effective status: deny (403), redirect (302), return (200).</summary>
    public int Status { get; init; }

    /// <summary>Header name of set/add/del-header.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Header value, redirect target, or path format.</summary>
    public string Value { get; init; } = string.Empty;

    /// <summary>replace-path: the regular expression.</summary>
    public Regex? Regex { get; init; }

    /// <summary>replace-path: the format in .NET replacement syntax (<c>\1</c> → <c>${1}</c>, <c>$</c> escaped).</summary>
    public string Replacement { get; init; } = string.Empty;

    /// <summary>redirect: location, prefix or scheme.</summary>
    public V1.RedirectType RedirectType { get; init; }

    /// <summary>return: content type, or null without one.</summary>
    public string? ContentType { get; init; }

    /// <summary>return: the body (UTF-8), or empty.</summary>
    public byte[] Body { get; init; } = [];

    /// <summary>track-sc0: the table (the frontend's or backend's own), or null when it has none.</summary>
    public StickTable? Table { get; init; }

    /// <summary>track-sc0: the header name of <c>req.hdr(&lt;name&gt;)</c>, or null for <c>src</c>.</summary>
    public string? TrackHeader { get; init; }
}
