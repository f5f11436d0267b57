using System.Diagnostics;

namespace Ballast.IntegrationTests.Infrastructure;

/// <summary>Bounded polling.</summary>
internal static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until it is true; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    /// <param name="what">Says what was awaited, for the timeout message.</param>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }

                last = null;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException or System.Text.Json.JsonException)
            {
                last = ex;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}" +
                    (last is null ? string.Empty : $" (last error: {last.GetType().Name}: {last.Message})"));
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Like <see cref="UntilAsync(Func{Task{bool}}, TimeSpan, string, TimeSpan?)"/>, returning the first non-null value.</summary>
    public static async Task<T> ForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, TimeSpan? interval = null)
        where T : class
    {
        T? value = null;
        await UntilAsync(async () => (value = await probe()) is not null, timeout, what, interval);
        return value!;
    }
}
