using Harrier.Cli;

namespace Harrier.Host;

/// <summary>
/// The <c>harrier</c> executable. Daemon verbs (<c>dev</c>, <c>server</c>, <c>agent --server URL</c>, <c>sim</c>) run here; every other verb is a client verb handled by
/// <see cref="CliApp"/>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Daemon verbs: dev, server, and agent when it is given flags (harrier agent list is a client verb).
        if (args.Length > 0 && args[0] is "sim" or "server" or "dev")
        {
            DaemonRuntime.Ensure();
        }
        if (args.Length > 0 && args[0] == "acl")
        {
            return await AclCommand.RunAsync(args[1..], Console.In, Console.Out, Console.Error);
        }
        if (args.Length > 0 && args[0] == "dns")
        {
            return await DnsCommand.RunAsync(args[1..]);
        }
        if (args.Length > 0 && args[0] == "lb")
        {
            return await LbCommand.RunAsync(args[1..]);
        }
        if (args.Length > 0 && args[0] == "sim")
        {
            return await SimHost.RunAsync(args[1..]);
        }
        var daemon = args.Length > 0 && (args[0] is "dev" or "server" || (args[0] == "agent" && (args.Length == 1 || args[1].StartsWith('-'))));
        if (daemon)
        {
            var usage = args[0] switch { "server" => ServerUsage.Text, "agent" => AgentUsage.Text, _ => DevOptions.Usage };
            if (args.Skip(1).Any(a => a is "-h" or "--help"))
            {
                await Console.Out.WriteLineAsync(usage);
                return 0;
            }
            var (options, error) = DevOptions.Parse(args[1..]);
            if (error is not null)
            {
                var line = error.Split("\n\n", 2)[0].Replace("harrier dev:", $"harrier {args[0]}:", StringComparison.Ordinal);
                await Console.Error.WriteLineAsync($"{line}\n\n{usage}");
                return 64;
            }
            return args[0] switch
            {
                "server" => await DevHost.RunServerAsync(options!),
                "agent" => await AgentHost.RunAsync(options!),
                _ => await DevHost.RunAsync(options!),
            };
        }
        return await CliApp.RunAsync(args, Console.Out, Console.Error);
    }
}
