using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Reflection;

namespace Harrier.Cli;

/// <summary>The API client verbs of <c>harrier</c>. The host calls this for every verb that is not a daemon verb.</summary>
public static class CliApp
{
    /// <summary>Runs one CLI invocation and returns its exit code (0 ok, 1 API/input error, 2 unreachable, 64 usage).</summary>
    /// <param name="args">The arguments after the executable name, e.g. <c>["app", "list", "--json"]</c>.</param>
    /// <param name="getEnv">Environment lookup (for <c>HARRIER_URL</c>); defaults to the process environment.</param>
    /// <param name="handler">HTTP transport, for tests; null uses real sockets.</param>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?>? getEnv = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var terminal = ReferenceEquals(stdout, System.Console.Out) && !System.Console.IsOutputRedirected;
        var stdin = new DeferredReader(() => new StreamReader(System.Console.OpenStandardInput()));
        return RunAsync(args, new CliConsole(stdout, stderr, stdin, terminal), getEnv, handler);
    }

    internal static async Task<int> RunAsync(string[] args, CliConsole console, Func<string, string?>? getEnv, HttpMessageHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var flags = new GlobalFlags();
        var runner = new CommandRunner(console, flags, getEnv ?? Environment.GetEnvironmentVariable, handler);
        var root = BuildRoot(flags, runner, console);
        var parse = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"error: {error.Message}");
            }
            await console.Error.WriteLineAsync($"Run '{CommandPath(parse.CommandResult)} --help' for usage.");
            return CliExitCodes.Usage;
        }
        return await parse.InvokeAsync(configuration);
    }

    private static Command BuildRoot(GlobalFlags flags, CommandRunner runner, CliConsole console)
    {
        var version = new Option<bool>("--version") { Description = "Show the version and exit" };
        var root = new Command("harrier", "Harrier: a Marathon-compatible container orchestrator")
        {
            new HelpOption(),
            version,
            flags.Json,
            flags.Server,
            flags.Token,
            flags.User,
            flags.CaCert,
            AppCommands.Create(runner),
            GroupCommands.Create(runner),
            TaskCommands.Create(runner),
            LogsCommand.Create(runner),
            ClusterCommands.CreateDeployment(runner),
            ClusterCommands.CreateQueue(runner),
            ClusterCommands.CreateInfo(runner),
            ClusterCommands.CreateAgent(runner),
            BalancerCommands.Create(runner),
            ImageCommands.Create(runner),
            EventsCommand.Create(runner),
            DaemonVerb("dev", "Run a server and a local agent in one process (harrier dev --help for its flags)", console),
            DaemonVerb("dns", "Serve a server's DNS names on this machine (harrier dns --help)", console),
            DaemonVerb("lb", "marathon-lb's HAProxy balancer; lb render, lb zdd (harrier lb --help)", console),
        };
        root.SetAction(parse =>
        {
            if (parse.GetValue(version))
            {
                console.Out.WriteLine($"harrier {Version}");
                return CliExitCodes.Ok;
            }
            new HelpAction().Invoke(parse);
            return CliExitCodes.Usage;
        });
        return root;
    }

    /// <summary>
    /// A daemon verb, listed so that help shows it. The <c>harrier</c> executable runs daemon verbs itself before the
    /// CLI parses anything; reaching this action means the CLI was run on its own.
    /// </summary>
    private static Command DaemonVerb(string name, string description, CliConsole console)
    {
        var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(_ =>
        {
            console.Error.WriteLine($"'{name}' runs in the harrier executable, not in this client.");
            return CliExitCodes.Usage;
        });
        return command;
    }

    internal static string Version
    {
        get
        {
            var assembly = typeof(CliApp).Assembly;
            var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            // Drop the "+<commit>" build metadata the SDK appends.
            return (informational ?? assembly.GetName().Version?.ToString() ?? "0.0.0").Split('+')[0];
        }
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult command)
            {
                names.Insert(0, command.Command.Name);
            }
        }
        return string.Join(' ', names);
    }
}
