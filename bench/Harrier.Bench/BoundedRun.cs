namespace Harrier.Bench;

/// <summary>
/// Runs a benchmark body bounded in time (<c>--timeout</c> seconds, default 900) and by Ctrl-C, in a scratch
/// directory that is deleted afterwards, whatever happens.
/// </summary>
internal static class BoundedRun
{
    public static async Task<int> RunAsync(BenchArgs args, string name, Func<string, CancellationToken, Task<int>> body)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(args.Int("timeout", 900)));
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        var work = Path.Combine(Path.GetTempPath(), $"harrier-bench-{name}-{Environment.ProcessId}");
        try
        {
            return await body(work, cts.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            if (Directory.Exists(work))
            {
                Directory.Delete(work, true);
            }
        }
    }
}
