namespace Ballast.DataPlane.Tests.Infrastructure;

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until true or <paramref name="timeout"/> (real time) passes.</summary>
    public static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, int pollMs = 20)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(pollMs);
        }

        return true;
    }
}
