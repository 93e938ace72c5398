using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Harrier.Bench.Lb;

/// <summary>A bounded wrk run and what it counted; <c>stop</c> ends it early with SIGINT (wrk then prints its figures).</summary>
internal sealed partial record WrkRun(long Requests, double RequestsPerSecond, long Non2xx, long SocketErrors, string P99, string Output)
{
    public static async Task<WrkRun> RunAsync(string url, TimeSpan duration, int connections, CancellationToken stop = default)
    {
        var psi = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-t1", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--timeout", "5s", "--latency", url })
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));
        using (stop.Register(() =>
        {
            using var interrupt = Process.Start("/bin/kill", ["-INT", p.Id.ToString(CultureInfo.InvariantCulture)]);
            interrupt?.WaitForExit();
        }))
        {
            try
            {
                await p.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill();
                await p.WaitForExitAsync();
                throw new TimeoutException($"wrk did not end within {duration.TotalSeconds + 30:0} s");
            }
        }
        var text = await stdout + await stderr;
        var requests = RequestsLine().Match(text) is { Success: true } r ? long.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var rate = RateLine().Match(text) is { Success: true } q ? double.Parse(q.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var non2xx = Non2xxLine().Match(text) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socket = SocketLine().Match(text) is { Success: true } s
            ? s.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0;
        var p99 = P99Line().Match(text) is { Success: true } l ? l.Groups[1].Value : "?";
        return new WrkRun(requests, rate, non2xx, socket, p99, text);
    }

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketLine();

    [GeneratedRegex(@"^\s+99%\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex P99Line();
}
