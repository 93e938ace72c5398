using System.Collections;
using System.Runtime.InteropServices;
using Harrier.LoadBalancer;
using Harrier.LoadBalancer.Cli;
using Harrier.LoadBalancer.Marathon;
using Harrier.LoadBalancer.Rendering;
using Harrier.LoadBalancer.Zdd;
using Microsoft.Extensions.Logging;

namespace Harrier.Host;

/// <summary><c>harrier lb</c> (the balancer), <c>harrier lb render</c> (print the config), <c>harrier lb zdd</c> (blue/green).</summary>
internal static class LbCommand
{
    public const string Usage = """
        Usage: harrier lb --server URL --group GROUP [options]        run the balancer (a real HAProxy)
               harrier lb render --apps FILE --group GROUP [options]  print the config marathon-lb would write
               harrier lb zdd APP.json [options]                      a blue/green deploy (harrier lb zdd --help)

          marathon-lb's flags, with its names and meanings:
          --server URL, --marathon URL, -m URL   the Harrier server or Marathon (repeatable; default http://127.0.0.1:8080)
          --group GROUP          expose apps whose HAPROXY_GROUP (or HAPROXY_n_GROUP) names it; '*' exposes all (repeatable, required)
          --haproxy-map          route vhosts and app ids through map files
          --group-https-by-vhost terminate TLS per vhost (SNI), as marathon-lb's flag
          --dont-bind-http-https no :80 and :443 frontends
          --ssl-certs A,B        certificates of the :443 frontend (default /etc/ssl/cert.pem; made self-signed in the work dir when absent)
          --haproxy-config PATH  where the config is written (map files beside it; default WORK_DIR/haproxy.cfg)
          --strict-mode          expose a port only with HAPROXY_n_ENABLED=true
          --health-check, -H     only tasks Marathon reports healthy become servers
          --min-serv-port-ip-per-task N, --max-serv-port-ip-per-task N   service ports for IP-per-task apps (10050..10100)
          --auth-credentials USER:PASS, --marathon-auth-credential-file F   credentials for the server (else HARRIER_TOKEN)
          --max-backoff S        longest wait between event stream reconnects (300)
          --dry, -d              print each generated config instead of running HAProxy
          (--sse, --command, --reload-interval, --max-reload-retries, --skip-validation, … are accepted without effect.)
          Templates: HAPROXY_<NAME> environment variables, or files named HAPROXY_<NAME> in --templates DIR.

          Harrier's:
          --work-dir DIR         HAProxy's config, sockets, state and Lua services (default /var/lib/harrier/lb)
          --bind-address ADDR    address of the :80/:443/:9091 frontends and the default of HAPROXY_n_BIND_ADDR (default *)
          --http-port N, --https-port N, --http-appid-port N   the fixed frontends' ports (80, 443, 9091)
          --stats-port N         the stats listener: /haproxy?stats, /metrics, /_haproxy_* and /_mlb_signal/* (9090)
          --stats-auth USER:PASS the stats page asks for credentials
          --maxconn N            HAProxy's global maxconn (marathon-lb's 50000; lowered to fit the open-files limit when not given)
          --control-address ADDR:PORT   the balancer's own /health and /metrics (127.0.0.1:9092)
          --balancer-id ID       the name it registers under with the server (default HOST-STATSPORT); --no-register: none
          --drain-timeout S      longest wait for a removed or drained server's sessions (30)
          --haproxy PATH         the HAProxy binary (haproxy)
          render only: --apps FILE (- for stdin), --resolve HOST=IP (repeatable), --live (the config the balancer hands HAProxy 2.6, with --work-dir's paths),
                       --output-dir DIR (write haproxy.cfg and the map files there instead of printing)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == "zdd")
        {
            using var zddStop = StopToken();
            return await ZddCommand.RunAsync(args[1..], Console.Out, Console.Error, ct: zddStop.Token);
        }
        if (args.Any(a => a is "-h" or "--help"))
        {
            await Console.Out.WriteLineAsync(Usage);
            return 0;
        }
        var render = args.Length > 0 && args[0] == "render";
        var rest = render ? args[1..] : args;
        string? outputDir = null;
        var index = Array.IndexOf(rest, "--output-dir");
        if (render && index >= 0)
        {
            if (index + 1 >= rest.Length)
            {
                await Console.Error.WriteLineAsync($"harrier lb render: --output-dir needs a value\n\n{Usage}");
                return 64;
            }
            outputDir = rest[index + 1];
            rest = [.. rest[..index], .. rest[(index + 2)..]];
        }
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        if (LbArguments.Parse(rest, render, environment, out var error) is not { } settings)
        {
            await Console.Error.WriteLineAsync($"harrier lb{(render ? " render" : "")}: {error}\n\n{Usage}");
            return 64;
        }
        if (render)
        {
            return await RenderAsync(settings, outputDir);
        }
        using var loggers = LoggerFactory.Create(b => b
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddSimpleConsole(c =>
            {
                c.SingleLine = true;
                c.TimestampFormat = "HH:mm:ss.fff ";
            }));
        using var stop = StopToken();
        return await LbDaemon.RunAsync(settings, loggers, Console.Out, Console.Error, stop.Token);
    }

    private static async Task<int> RenderAsync(LbSettings settings, string? outputDir)
    {
        string body;
        try
        {
            body = settings.AppsFile == "-" ? await Console.In.ReadToEndAsync() : await File.ReadAllTextAsync(settings.AppsFile!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"harrier lb render: --apps {settings.AppsFile}: {e.Message}");
            return 66;
        }
        Harrier.LoadBalancer.Rendering.RenderedConfig config;
        try
        {
            config = LbRenderer.Render(body, settings.Render);
        }
        catch (LbInputException e)
        {
            await Console.Error.WriteLineAsync($"harrier lb render: {e.Message}");
            return 65;
        }
        foreach (var warning in config.Warnings)
        {
            await Console.Error.WriteLineAsync($"harrier lb render: {warning}");
        }
        if (outputDir is null)
        {
            await Console.Out.WriteAsync(config.Config);
            return 0;
        }
        Directory.CreateDirectory(outputDir);
        await File.WriteAllTextAsync(Path.Combine(outputDir, "haproxy.cfg"), config.Config);
        if (config.DomainMap is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(outputDir, "domain2backend.map"), config.DomainMap);
        }
        if (config.AppMap is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(outputDir, "app2backend.map"), config.AppMap);
        }
        return 0;
    }

    /// <summary>Cancelled by SIGTERM or SIGINT, which then do not end the process: the caller stops in order.</summary>
    private static StopSignal StopToken() => new();

    private sealed class StopSignal : IDisposable
    {
        private readonly CancellationTokenSource source = new();
        private readonly PosixSignalRegistration term;
        private readonly PosixSignalRegistration interrupt;

        public StopSignal()
        {
            term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        }

        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            term.Dispose();
            interrupt.Dispose();
            source.Dispose();
        }

        private void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            source.Cancel();
        }
    }
}
