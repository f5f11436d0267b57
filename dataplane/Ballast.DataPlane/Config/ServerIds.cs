using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Config;

/// <summary>
/// Server ids (<c>puid</c>) as HAProxy assigns them (cfgparse.c, "assign automatic UIDs to servers which don't have
/// one yet"): explicit <c>id</c>s are kept; walking the servers in declaration order with a counter starting at 1
/// and incremented after every server, a server without an id takes the lowest unused id not below the counter.
/// So servers without ids are numbered 1..n, and <c>a, b id 1, c</c> gives a=2, b=1, c=4.
/// </summary>
internal static class ServerIds
{
    /// <summary>Assigns the ids of a backend's servers.</summary>
    /// <param name="servers">The servers in declaration order; explicit ids must be unique and positive.</param>
    /// <returns>The id of each server, by position.</returns>
    public static int[] Assign(IReadOnlyList<V1.Server> servers)
    {
        var ids = new int[servers.Count];
        var used = new HashSet<int>();
        for (var i = 0; i < servers.Count; i++)
        {
            if (servers[i].Id > 0)
            {
                ids[i] = (int)Math.Min(servers[i].Id, int.MaxValue);
                used.Add(ids[i]);
            }
        }

        var next = 1;
        for (var i = 0; i < servers.Count; i++)
        {
            if (ids[i] == 0)
            {
                while (used.Contains(next))
                {
                    next++;
                }

                ids[i] = next;
                used.Add(next);
            }

            next++;
        }

        return ids;
    }
}
