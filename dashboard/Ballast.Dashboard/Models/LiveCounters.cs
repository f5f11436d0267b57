using Ballast.Proto.V1;

namespace Ballast.Dashboard.Models;

/// <summary>
/// Live values of one stats row (frontend, backend or server), updated from successive fleet stats polls, with a
/// request rate: the node-computed <c>rate</c> when it reports one, otherwise derived from the growth of the request
/// total (<c>req_tot</c>, or <c>stot</c> for TCP) between polls.
/// </summary>
public sealed class LiveCounters
{
    /// <summary>How long an unchanged total may stay unchanged before the derived rate drops to 0 (covers stats reports slower than the poll).</summary>
    private static readonly TimeSpan s_idleAfter = TimeSpan.FromSeconds(3);

    private ulong _anchorTotal;
    private DateTimeOffset? _anchorAt;
    private double _derivedRate;

    /// <summary>Whether the last poll had a row for this object.</summary>
    public bool Reported { get; private set; }

    /// <summary>HAProxy status: UP, DOWN, DRAIN, MAINT, no check, OPEN...; empty when not reported.</summary>
    public string Status { get; private set; } = "";

    /// <summary>Last check status (L4OK, L7STS, L4CON...), empty if none.</summary>
    public string CheckStatus { get; private set; } = "";

    /// <summary>Duration of the last check, ms.</summary>
    public ulong CheckDurationMs { get; private set; }

    /// <summary>HTTP status of the last HTTP check, 0 if none.</summary>
    public uint CheckCode { get; private set; }

    /// <summary>Current sessions (<c>scur</c>).</summary>
    public ulong Scur { get; private set; }

    /// <summary>Max sessions (<c>smax</c>).</summary>
    public ulong Smax { get; private set; }

    /// <summary>Requests (HTTP) or sessions (TCP) per second.</summary>
    public double Rate { get; private set; }

    /// <summary>Total requests (<c>req_tot</c>), or total sessions (<c>stot</c>) when no request total is reported.</summary>
    public ulong Total { get; private set; }

    /// <summary>HTTP 5xx responses (<c>hrsp_5xx</c>).</summary>
    public ulong Hrsp5xx { get; private set; }

    /// <summary>Connection plus response errors (<c>econ</c> + <c>eresp</c>).</summary>
    public ulong Errors { get; private set; }

    /// <summary>Effective weight as reported by the nodes.</summary>
    public uint Weight { get; private set; }

    /// <summary>Seconds since the last status change (<c>lastchg</c>).</summary>
    public ulong LastChangeSeconds { get; private set; }

    /// <summary>Applies the latest row (null when the poll had none for this object).</summary>
    /// <param name="row">The row, or null.</param>
    /// <param name="now">When the poll was made.</param>
    public void Update(StatRow? row, DateTimeOffset now)
    {
        if (row is null)
        {
            Reported = false;
            Status = "";
            CheckStatus = "";
            Rate = 0;
            _anchorAt = null;
            _derivedRate = 0;
            return;
        }

        Reported = true;
        Status = row.Status;
        CheckStatus = row.CheckStatus;
        CheckDurationMs = row.CheckDuration;
        CheckCode = row.CheckCode;
        Scur = row.Scur;
        Smax = row.Smax;
        Hrsp5xx = row.Hrsp5Xx;
        Errors = row.Econ + row.Eresp;
        Weight = row.Weight;
        LastChangeSeconds = row.Lastchg;

        var total = row.ReqTot != 0 ? row.ReqTot : row.Stot;
        UpdateDerivedRate(total, now);
        Total = total;
        Rate = row.Rate > 0 ? row.Rate : _derivedRate;
    }

    private void UpdateDerivedRate(ulong total, DateTimeOffset now)
    {
        if (_anchorAt is not { } anchorAt || total < _anchorTotal)
        {
            // First sample, or the counters were reset (node restart): start over.
            _anchorAt = now;
            _anchorTotal = total;
            _derivedRate = 0;
            return;
        }

        var elapsed = now - anchorAt;
        if (total != _anchorTotal)
        {
            if (elapsed > TimeSpan.Zero)
            {
                _derivedRate = (total - _anchorTotal) / elapsed.TotalSeconds;
            }

            _anchorAt = now;
            _anchorTotal = total;
        }
        else if (elapsed >= s_idleAfter)
        {
            _derivedRate = 0;
        }
    }
}
