namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// Builds one full cycle of smooth weighted round robin: each server appears as often as its weight (reduced by
/// the weights' greatest common divisor) and heavy servers are interleaved with light ones instead of being picked
/// in bursts, which is what HAProxy's <c>balance roundrobin</c> achieves with its weighted tree (lb_fwrr.c).
/// Weights 3 and 1 give <c>A A B A</c>; weights 5, 1, 1 give <c>A A B A C A A</c>.
/// </summary>
internal static class SmoothWeightedSchedule
{
    /// <summary>Builds the cycle.</summary>
    /// <param name="weights">Weight per server; servers with weight 0 are left out.</param>
    /// <returns>Server indexes in pick order; empty when every weight is 0.</returns>
    public static int[] Build(ReadOnlySpan<int> weights)
    {
        var divisor = 0;
        foreach (var weight in weights)
        {
            if (weight > 0)
            {
                divisor = Gcd(divisor, weight);
            }
        }

        if (divisor == 0)
        {
            return [];
        }

        var reduced = new int[weights.Length];
        var total = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            reduced[i] = weights[i] > 0 ? weights[i] / divisor : 0;
            total += reduced[i];
        }

        // nginx-style smooth weighted round robin: every step each server gains its weight, the richest is
        // picked and pays the total.
        var current = new long[weights.Length];
        var order = new int[total];
        for (var step = 0; step < total; step++)
        {
            var best = -1;
            for (var i = 0; i < reduced.Length; i++)
            {
                if (reduced[i] == 0)
                {
                    continue;
                }

                current[i] += reduced[i];
                if (best < 0 || current[i] > current[best])
                {
                    best = i;
                }
            }

            current[best] -= total;
            order[step] = best;
        }

        return order;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
