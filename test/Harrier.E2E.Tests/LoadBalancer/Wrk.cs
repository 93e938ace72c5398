using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Harrier.E2E.Tests.LoadBalancer;

/// <summary>A bounded wrk run (one thread, a few connections, a fixed duration) and what it counted.</summary>
internal sealed partial record Wrk(long Requests, long Non2xx, long SocketErrors, string Output)
{
    /// <summary>Runs wrk for at most <paramref name="duration"/>; <paramref name="stop"/> ends it early (SIGINT: wrk prints its figures).</summary>
    public static async Task<Wrk> RunAsync(string url, TimeSpan duration, int connections = 4, CancellationToken stop = default)
    {
        var psi = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-t1", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--timeout", "5s", url })
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
            await p.WaitForExitAsync(timeout.Token);
        }
        var text = await stdout + await stderr;
        var requests = RequestsLine().Match(text) is { Success: true } r ? long.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var non2xx = Non2xxLine().Match(text) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socket = SocketLine().Match(text) is { Success: true } s
            ? s.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0;
        return new Wrk(requests, non2xx, socket, text);
    }

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketLine();
}
