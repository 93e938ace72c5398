using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Harrier.LoadBalancer.Cli;
using Harrier.LoadBalancer.Draining;
using Harrier.LoadBalancer.Haproxy;
using Harrier.LoadBalancer.Live;
using Harrier.LoadBalancer.Marathon;
using Harrier.LoadBalancer.Rendering;
using Harrier.LoadBalancer.Watch;
using Microsoft.Extensions.Logging;

namespace Harrier.LoadBalancer;

/// <summary>
/// <c>harrier lb</c>: follows a server's apps and events and keeps a real HAProxy serving them (the watcher feeds the
/// renderer, whose output the HAProxy supervisor applies: runtime API for servers, validated seamless reloads for the
/// rest), registers with the server so kills wait for this balancer's drain, and serves its own health, metrics and
/// marathon-lb's signal endpoints. SIGTERM stops HAProxy with it; <c>kill -9</c> leaves HAProxy serving, and the next
/// start adopts it.
/// </summary>
public static partial class LbDaemon
{
    public static async Task<int> RunAsync(LbSettings settings, ILoggerFactory loggers, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var logger = loggers.CreateLogger("harrier.lb");
        var time = TimeProvider.System;
        var paths = settings.Paths;
        Directory.CreateDirectory(settings.WorkDirectory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(settings.WorkDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        if (settings.IgnoredFlags.Count > 0)
        {
            LogIgnored(logger, string.Join(", ", settings.IgnoredFlags));
        }
        var options = settings.Render;
        if (Certificates(options, paths, out var certError) is not { } certs)
        {
            await stderr.WriteLineAsync($"harrier lb: {certError}");
            return 1;
        }
        options = options with { SslCerts = certs, MaxConnections = options.MaxConnections ?? FittingMaxConnections(logger) };

        using var http = HttpClientFor(settings);
        var client = new MarathonClient(http, settings.Servers);
        var health = new LbHealthCache();
        await using var proxy = HaproxyDriver.Create(settings, loggers, time);
        var balancer = new Balancer(body => LbRenderer.Render(body, options, health), proxy, settings.DrainTimeout, time, loggers.CreateLogger("harrier.lb.balancer"), settings.Dry ? stdout : null);

        // The first state: the server's apps if it answers soon; else the config this work directory already runs
        // (an adopted HAProxy keeps serving it until the server answers); else no apps at all.
        string? first;
        try
        {
            first = await client.ReadAppsAsync(TimeSpan.FromSeconds(5), ct);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or InvalidDataException)
        {
            LogFirstReadFailed(logger, e.Message);
            first = null;
        }
        try
        {
            await balancer.StartAsync(first, ct);
        }
        catch (ProxyStartException e)
        {
            await stderr.WriteLineAsync($"harrier lb: HAProxy did not start: {e.Message}");
            return 1;
        }

        var watcher = new AppsWatcher(client, balancer.OnAppsAsync, time, loggers.CreateLogger("harrier.lb.watch"), settings.MaxBackoff);
        balancer.RequestReset = watcher.RequestReset;
        var statsHost = options.BindAddress is null or "*" or "0.0.0.0" ? "127.0.0.1" : options.BindAddress;
        var registry = new BalancerRegistry(http, () => client.Current, settings.BalancerId);
        var drains = new DrainCoordinator(registry, options.Groups, $"http://{statsHost}:{options.StatsPort}", balancer.DrainAsync, time, loggers.CreateLogger("harrier.lb.drain"));

        await using var control = new ControlServer(
            IPAddress.Parse(settings.ControlAddress),
            settings.ControlPort,
            async c => Health(balancer, watcher, drains, await ProxyUpAsync(proxy, c)),
            async c =>
            {
                var stats = await TryStatsAsync(proxy, c);
                var since = watcher.LastRead is { } at ? (time.GetUtcNow() - at).TotalSeconds : (double?)null;
                return LbMetrics.Format(new LbMetrics.Own(stats is not null, since, watcher.Reads, balancer.Reloads, balancer.RuntimeChanges, balancer.Rejected, drains.Confirmed, drains.State == "registered", balancer.Applied?.Servers.Count ?? 0), stats);
            },
            watcher.RequestReset,
            async c =>
            {
                var change = await proxy.ReloadAsync(c);
                return change.Kind == ProxyChangeKind.Rejected ? "Config refused: " + change.Error : "Sent SIGUSR1 signal to marathon-lb";
            },
            loggers);
        try
        {
            await control.StartAsync(ct);
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync($"harrier lb: cannot listen on {settings.ControlAddress}:{settings.ControlPort}: {e.Message}");
            return 1;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, s =>
        {
            s.Cancel = true;
            watcher.RequestReset();
        });
        using var usr1 = PosixSignalRegistration.Create((PosixSignal)10, s =>
        {
            s.Cancel = true;
            _ = proxy.ReloadAsync(stop.Token);
        });
        LogServing(logger, options.StatsPort, string.Join(", ", settings.Servers), string.Join(",", options.Groups));
        var loops = new List<Task> { watcher.RunAsync(stop.Token) };
        if (settings.Register && !settings.Dry)
        {
            loops.Add(drains.RunAsync(stop.Token));
        }
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        if (!settings.Dry)
        {
            await proxy.StopAsync();
        }
        return 0;
    }

    /// <summary>
    /// The certificates of the :443 frontend: those given, each of which must exist; with none given, marathon-lb's
    /// default path if it exists, else a self-signed one the balancer makes in its work directory (as marathon-lb's
    /// <c>run</c> script did).
    /// </summary>
    internal static IReadOnlyList<string>? Certificates(LbOptions options, LbPaths paths, out string? error)
    {
        error = null;
        if (!options.BindHttpHttps && !options.GroupHttpsByVhost)
        {
            return options.SslCerts;
        }
        if (options.SslCerts is ["/etc/ssl/cert.pem"] && !File.Exists("/etc/ssl/cert.pem"))
        {
            CertificateFactory.EnsureSelfSigned(paths.DefaultCertificate);
            return [paths.DefaultCertificate];
        }
        var missing = options.SslCerts.Where(c => !File.Exists(c)).ToList();
        if (missing.Count > 0)
        {
            error = $"--ssl-certs: {string.Join(", ", missing)} does not exist";
            return null;
        }
        return options.SslCerts;
    }

    /// <summary>
    /// marathon-lb's global <c>maxconn 50000</c> needs about 100,000 open files, and HAProxy refuses to start when the
    /// hard limit is lower (20,000 on many machines, 4,096 for most users): the live balancer then asks for what fits.
    /// </summary>
    internal static int? FittingMaxConnections(ILogger logger)
    {
        long hard;
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var fields = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is not { Length: >= 2 } || !long.TryParse(fields[1], System.Globalization.CultureInfo.InvariantCulture, out hard))
            {
                return null;
            }
        }
        catch (IOException)
        {
            return null;
        }
        const int Reserve = 2000;
        if (hard >= (2L * 50000) + Reserve)
        {
            return null;
        }
        var fitting = (int)Math.Max(256, (hard - Reserve) / 2);
        LogMaxConnections(logger, hard, fitting);
        return fitting;
    }

    private static HttpClient HttpClientFor(LbSettings settings)
    {
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = true, MaxAutomaticRedirections = 1, ConnectTimeout = TimeSpan.FromSeconds(3.05) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("harrier-lb", "1"));
        if (settings.AuthCredentials is { } credentials)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }
        else if (settings.BearerToken is { } token)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return http;
    }

    private static (bool, string) Health(Balancer balancer, AppsWatcher watcher, DrainCoordinator drains, bool proxyUp)
    {
        var body = new JsonObject
        {
            ["haproxy"] = proxyUp ? "up" : "down",
            ["lastRead"] = watcher.LastRead?.ToString("O"),
            ["readError"] = watcher.LastError,
            ["configError"] = balancer.LastError,
            ["registry"] = drains.State,
            ["servers"] = balancer.Applied?.Servers.Count ?? 0,
        };
        return (proxyUp, body.ToJsonString());
    }

    private static async Task<bool> ProxyUpAsync(IProxyDriver proxy, CancellationToken ct) => await TryStatsAsync(proxy, ct) is not null;

    private static async Task<ProxyStats?> TryStatsAsync(IProxyDriver proxy, CancellationToken ct)
    {
        try
        {
            return await proxy.StatsAsync(ct);
        }
        catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException or OperationCanceledException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The open-files limit is {Limit}: HAProxy's global maxconn is {MaxConn} instead of 50000 (--maxconn sets it)")]
    private static partial void LogMaxConnections(ILogger logger, long limit, int maxConn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "marathon-lb flags without effect in Harrier (accepted so command lines keep working): {Flags}")]
    private static partial void LogIgnored(ILogger logger, string flags);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The server did not answer at start ({Error}): HAProxy starts with what this work directory runs, or no apps, until it does")]
    private static partial void LogFirstReadFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving: stats on :{StatsPort}, following {Servers} for group(s) {Groups}")]
    private static partial void LogServing(ILogger logger, int statsPort, string servers, string groups);
}
