using System.Net.Http.Headers;
using System.Text;
using Harrier.LoadBalancer.Cli;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// <c>harrier lb zdd APP.json …</c>: marathon-lb's zero-downtime blue/green deploy (zdd.py) against Harrier or
/// Marathon and the balancers' stats. Exit codes: 0 done, 1 failed (the message names the step), 64 usage,
/// 130 cancelled.
/// </summary>
public static class ZddCommand
{
    internal const string TokenVariable = "HARRIER_TOKEN";

    /// <param name="args">The arguments after <c>zdd</c>.</param>
    /// <param name="stdout">The new app JSON and questions.</param>
    /// <param name="stderr">Progress and errors.</param>
    /// <param name="handler">HTTP handler for the server and balancers (tests); a default one otherwise.</param>
    /// <param name="time">The clock (STARTED_AT, waits); the system clock otherwise.</param>
    /// <param name="ct">Stops the run (exit 130).</param>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, HttpMessageHandler? handler = null, TimeProvider? time = null, CancellationToken ct = default) =>
        RunAsync(args, stdout, stderr, Console.In, Environment.GetEnvironmentVariable, handler, time, null, ct);

    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin, Func<string, string?> getEnv,
        HttpMessageHandler? handler, TimeProvider? time, Func<string, string?>? resolve, CancellationToken ct)
    {
        ZddArguments? parsed;
        try
        {
            parsed = ZddArgumentParser.Parse(args, getEnv);
        }
        catch (ZddUsageException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}\n(harrier lb zdd --help lists the options)");
            return 64;
        }
        if (parsed is null)
        {
            await stdout.WriteAsync(ZddArgumentParser.Usage);
            return 0;
        }

        time ??= TimeProvider.System;
        resolve ??= new HostResolver(new Dictionary<string, string>()).Resolve;
        using var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        client.Timeout = Timeout.InfiniteTimeSpan;
        var console = new ZddConsole(stdout, stderr, stdin, parsed.Force);
        var marathon = new ZddMarathonClient(new ZddHttp(client, Authorization(parsed, getEnv), ZddTiming.ServerCall), parsed.Server);
        var drainWait = new ZddDrainWait(parsed, new ZddBalancerClient(client, ZddTiming.BalancerCall), console, time, resolve);
        var runner = new ZddRunner(parsed, marathon, new ZddSwap(parsed, marathon, drainWait, console, time), console, time);
        try
        {
            await runner.RunAsync(ct);
            return 0;
        }
        catch (ZddFailure e)
        {
            await stderr.WriteLineAsync($"error: {e.Step}: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("zdd: interrupted; both colours may be running (--resume goes on)");
            return 130;
        }
    }

    /// <summary><c>--auth-credentials USER:PASS</c> as Basic, else <c>HARRIER_TOKEN</c> as Bearer (as the CLI sends it).</summary>
    private static AuthenticationHeaderValue? Authorization(ZddArguments args, Func<string, string?> getEnv) =>
        args.AuthCredentials is { } pair ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)))
        : getEnv(TokenVariable) is { Length: > 0 } token && !string.IsNullOrWhiteSpace(token) ? new AuthenticationHeaderValue("Bearer", token.Trim())
        : null;
}
