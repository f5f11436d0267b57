namespace Ballast.HaproxyConfig.Syntax;

/// <summary>
/// The nesting of <c>.if</c>/<c>.elif</c>/<c>.else</c>/<c>.endif</c> (manual, section 2.4), as the state machine of
/// HAProxy 2.6's <c>readcfgfile()</c>: a branch is taken when its condition holds and no earlier branch of the same
/// level was; inside an excluded branch, nested conditions are not evaluated. Each level also remembers which
/// directive opened its current excluded branch, so the reader can say which lines were left out.
/// </summary>
internal sealed class ConditionalBlocks
{
    private readonly Stack<Level> _levels = new();

    /// <summary>Whether lines at the current position are part of the configuration.</summary>
    public bool IsActive => _levels.Count == 0 || _levels.Peek().Taken;

    /// <summary>Number of open <c>.if</c> blocks.</summary>
    public int Depth => _levels.Count;

    /// <summary>Whether an <c>.elif</c> here must be evaluated: the block is open, its parent taken, no branch taken yet.</summary>
    public bool MustEvaluateElif => _levels.Count > 0 && _levels.Peek() is { ParentActive: true, AnyTaken: false, SeenElse: false };

    /// <summary>Opens a level at <paramref name="line"/>; <paramref name="condition"/> only matters when <see cref="IsActive"/>.</summary>
    public void If(bool condition, int line)
    {
        var parentActive = IsActive;
        var taken = parentActive && condition;
        _levels.Push(new Level(parentActive, taken, taken, SeenElse: false, ExcludedFrom: parentActive && !taken ? line : 0));
    }

    /// <summary>Moves to an <c>.elif</c> branch; returns HAProxy's error message if not permitted here.</summary>
    /// <param name="condition">The branch's condition (only evaluated when <see cref="MustEvaluateElif"/>).</param>
    /// <param name="line">The directive's line.</param>
    /// <param name="excludedFrom">Line of the directive whose excluded branch ends here, or 0.</param>
    public string? Elif(bool condition, int line, out int excludedFrom)
    {
        excludedFrom = 0;
        if (_levels.Count == 0)
        {
            return "lone '.elif' with no matching '.if'";
        }

        if (_levels.Peek().SeenElse)
        {
            return "'.elif' after '.else' is not permitted";
        }

        var level = _levels.Pop();
        excludedFrom = level.ExcludedFrom;
        var taken = level.ParentActive && !level.AnyTaken && condition;
        _levels.Push(level with
        {
            Taken = taken,
            AnyTaken = level.AnyTaken || taken,
            ExcludedFrom = level.ParentActive && !taken ? line : 0,
        });
        return null;
    }

    /// <summary>Moves to the <c>.else</c> branch; returns HAProxy's error message if not permitted here.</summary>
    public string? Else(int line, out int excludedFrom)
    {
        excludedFrom = 0;
        if (_levels.Count == 0)
        {
            return "lone '.else' with no matching '.if'";
        }

        if (_levels.Peek().SeenElse)
        {
            return "'.else' after '.else' is not permitted";
        }

        var level = _levels.Pop();
        excludedFrom = level.ExcludedFrom;
        var taken = level.ParentActive && !level.AnyTaken;
        _levels.Push(level with
        {
            Taken = taken,
            AnyTaken = true,
            SeenElse = true,
            ExcludedFrom = level.ParentActive && !taken ? line : 0,
        });
        return null;
    }

    /// <summary>Closes a level; returns HAProxy's error message if none is open.</summary>
    public string? EndIf(out int excludedFrom)
    {
        excludedFrom = 0;
        if (_levels.Count == 0)
        {
            return "lone '.endif' with no matching '.if'";
        }

        excludedFrom = _levels.Pop().ExcludedFrom;
        return null;
    }

    /// <param name="ParentActive">Whether the enclosing block is taken.</param>
    /// <param name="Taken">Whether the current branch is taken.</param>
    /// <param name="AnyTaken">Whether a branch of this level was taken so far.</param>
    /// <param name="SeenElse">Whether <c>.else</c> was met at this level.</param>
    /// <param name="ExcludedFrom">Line of the directive that opened the current excluded branch, or 0.</param>
    private readonly record struct Level(bool ParentActive, bool Taken, bool AnyTaken, bool SeenElse, int ExcludedFrom);
}
