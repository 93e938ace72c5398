namespace Harrier.Testing;

/// <summary>Bounded waits for a condition: tests never sleep bare.</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, TimeSpan? poll = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var value = await probe();
                if (value is not null)
                {
                    return value;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                last = e;
            }
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(50));
        }
        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#}s waiting for {what}" + (last is null ? "" : $" (last error: {last.Message})"), last);
    }

    public static async Task TrueAsync(Func<Task<bool>> probe, TimeSpan timeout, string what, TimeSpan? poll = null)
    {
        await WaitAsync<object>(async () => await probe() ? new object() : null, timeout, what, poll);
    }

    public static Task TrueAsync(Func<bool> probe, TimeSpan timeout, string what) =>
        TrueAsync(() => Task.FromResult(probe()), timeout, what);
}
