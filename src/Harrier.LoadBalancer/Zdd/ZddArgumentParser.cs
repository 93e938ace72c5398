using System.Globalization;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// Reads <c>harrier lb zdd</c>'s command line: zdd.py's flags and short forms, <c>--flag value</c> or
/// <c>--flag=value</c>, the app JSON positional or with <c>-j/--json</c>, the server from <c>--server</c>
/// (<c>--marathon</c>, <c>-m</c>), else <c>HARRIER_URL</c>, else <c>http://127.0.0.1:8080</c>.
/// </summary>
internal static class ZddArgumentParser
{
    public const string DefaultServer = "http://127.0.0.1:8080";
    public const string DefaultBalancer = "http://127.0.0.1:9090";
    public const string ServerVariable = "HARRIER_URL";

    public const string Usage = """
        usage: harrier lb zdd APP.json [options]

        Blue/green deploy of APP.json behind marathon-lb/harrier lb (labels HAPROXY_DEPLOYMENT_GROUP and
        HAPROXY_DEPLOYMENT_ALT_PORT required): starts the other colour, shifts traffic as it turns healthy, kills old
        tasks once every balancer has drained them, then deletes the old colour.

          -j, --json FILE              the app JSON (or give it as the first argument)
          -m, --server, --marathon URL the Harrier or Marathon server (default $HARRIER_URL, else http://127.0.0.1:8080)
          -l, --marathon-lb URL        a balancer's stats URL, repeat for each balancer (default http://127.0.0.1:9090)
          -i, --initial-instances N    instances the new colour starts with (default 1)
          -n, --new-instances N        keep N new + the rest old (hybrid); 0 = full swap (default 0)
              --linear-increase N      grow the new colour by N per step instead of by half (default 0 = off)
          -s, --step-delay S           seconds between checks (default 5)
          -w, --max-wait S             longest wait for any one condition; draining tasks are then killed anyway
                                       (default 300)
          -r, --resume                 resume a deploy that left both colours running
          -c, --complete-cur           finish a hybrid or stuck pair on the newest colour
          -p, --complete-prev          finish a hybrid or stuck pair on the previous colour
          -f, --force                  do not ask before deploying, killing and deleting
          -d, --dry-run                print the new app and stop
              --pre-kill-hook EXE      run EXE OLD_APP_JSON TASK_IDS_JSON NEW_APP_JSON before each kill; non-zero stops
              --auth-credentials U:P   Basic credentials (default: Bearer $HARRIER_TOKEN when set)
        """;

    /// <returns>The arguments, or null for <c>--help</c>.</returns>
    /// <exception cref="ZddUsageException">The command line is wrong (exit 64).</exception>
    public static ZddArguments? Parse(IReadOnlyList<string> args, Func<string, string?> getEnv)
    {
        string? json = null, server = null, hook = null, auth = null;
        var balancers = new List<string>();
        int newInstances = 0, initial = 1, linear = 0;
        double stepDelay = 5, maxWait = 300;
        bool cur = false, prev = false, resume = false, force = false, dryRun = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 2)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string? Value()
            {
                if (inline is not null)
                {
                    return inline;
                }
                if (i + 1 < args.Count)
                {
                    return args[++i];
                }
                return null;
            }
            switch (arg)
            {
                case "-h" or "--help":
                    return null;
                case "-j" or "--json":
                    json = Value() ?? Missing(arg);
                    break;
                case "-m" or "--server" or "--marathon":
                    server = Value() ?? Missing(arg);
                    break;
                case "-l" or "--marathon-lb":
                    balancers.Add(Value() ?? Missing(arg));
                    break;
                case "-i" or "--initial-instances":
                    initial = Count(arg, Value());
                    break;
                case "-n" or "--new-instances":
                    newInstances = Count(arg, Value());
                    break;
                case "--linear-increase":
                    linear = Count(arg, Value());
                    break;
                case "-s" or "--step-delay":
                    stepDelay = Seconds(arg, Value(), allowZero: true);
                    break;
                case "-w" or "--max-wait":
                    maxWait = Seconds(arg, Value(), allowZero: false);
                    break;
                case "--pre-kill-hook":
                    hook = Value() ?? Missing(arg);
                    break;
                case "--auth-credentials":
                    auth = Value() ?? Missing(arg);
                    break;
                case "-r" or "--resume":
                    resume = true;
                    break;
                case "-c" or "--complete-cur":
                    cur = true;
                    break;
                case "-p" or "--complete-prev":
                    prev = true;
                    break;
                case "-f" or "--force":
                    force = true;
                    break;
                case "-d" or "--dry-run":
                    dryRun = true;
                    break;
                default:
                    if (arg.StartsWith('-') && arg.Length > 1)
                    {
                        throw new ZddUsageException($"unknown option {arg}");
                    }
                    if (json is not null)
                    {
                        throw new ZddUsageException($"unexpected argument '{arg}' (the app JSON is {json})");
                    }
                    json = arg;
                    break;
            }
            if (inline is not null && arg is "-r" or "--resume" or "-c" or "--complete-cur" or "-p" or "--complete-prev" or "-f" or "--force" or "-d" or "--dry-run")
            {
                throw new ZddUsageException($"{arg} takes no value");
            }
        }
        if (json is null)
        {
            throw new ZddUsageException("the app JSON is required (harrier lb zdd APP.json)");
        }
        if (cur && prev)
        {
            throw new ZddUsageException("--complete-cur and --complete-prev exclude each other");
        }
        if (auth is not null && !auth.Contains(':', StringComparison.Ordinal))
        {
            throw new ZddUsageException("--auth-credentials takes USER:PASS");
        }
        var serverText = server ?? (getEnv(ServerVariable) is { Length: > 0 } env ? env : DefaultServer);
        return new ZddArguments
        {
            AppJsonPath = json,
            Server = Url(server is null && getEnv(ServerVariable) is { Length: > 0 } ? ServerVariable : "--server", serverText),
            Balancers = [.. (balancers.Count == 0 ? [DefaultBalancer] : balancers).Select(b => Url("--marathon-lb", b))],
            NewInstances = newInstances,
            InitialInstances = initial,
            LinearIncrease = linear,
            StepDelay = TimeSpan.FromSeconds(stepDelay),
            MaxWait = TimeSpan.FromSeconds(maxWait),
            CompleteCur = cur,
            CompletePrev = prev,
            Resume = resume,
            Force = force,
            DryRun = dryRun,
            PreKillHook = hook,
            AuthCredentials = auth,
        };
    }

    private static string Missing(string flag) => throw new ZddUsageException($"{flag} needs a value");

    private static int Count(string flag, string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100_000
            ? n
            : throw new ZddUsageException($"{flag} takes a whole number from 0 to 100000, not '{value}'");

    private static double Seconds(string flag, string? value, bool allowZero) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var s) && (allowZero ? s >= 0 : s > 0) && s <= 86_400
            ? s
            : throw new ZddUsageException($"{flag} takes seconds ({(allowZero ? "0" : "above 0")} to 86400), not '{value}'");

    private static Uri Url(string source, string value)
    {
        var candidate = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        return Uri.TryCreate(candidate.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? uri
            : throw new ZddUsageException($"invalid URL '{value}' (from {source}): expected http://host:port");
    }
}
