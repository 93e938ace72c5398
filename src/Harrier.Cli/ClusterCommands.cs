using System.CommandLine;
using System.Globalization;

namespace Harrier.Cli;

/// <summary><c>harrier deployment list</c>, <c>harrier queue</c> and <c>harrier info</c>.</summary>
internal static class ClusterCommands
{
    private static readonly string[] DeploymentHeaders = ["ID", "AFFECTED", "STEP", "CURRENT ACTIONS", "VERSION"];
    private static readonly string[] QueueHeaders = ["ID", "COUNT", "ROLE", "DELAY", "OVERDUE", "SINCE"];

    public static Command CreateDeployment(CommandRunner runner)
    {
        var list = new Command("list", "List running deployments");
        runner.Bind(list, async (ctx, ct) =>
        {
            var deployments = await ctx.Client.ListDeploymentsAsync(ct);
            if (ctx.Json)
            {
                return ctx.PrintJson(deployments.Raw);
            }
            ctx.Table(DeploymentHeaders, deployments.Items.Select(d => (IReadOnlyList<string>)
            [
                d.Id,
                CellText.Or(string.Join(',', d.AffectedApps.Concat(d.AffectedPods))),
                string.Create(CultureInfo.InvariantCulture, $"{d.CurrentStep}/{d.TotalSteps}"),
                CellText.Or(string.Join(", ", d.CurrentActions.Select(a => $"{a.Action} {a.Target}"))),
                CellText.Or(d.Version),
            ]));
            return CliExitCodes.Ok;
        });
        return new Command("deployment", "Inspect, watch and roll back deployments")
        {
            list,
            DeploymentCommands.Show(runner),
            DeploymentCommands.Watch(runner),
            DeploymentCommands.Rollback(runner),
        };
    }

    public static Command CreateQueue(CommandRunner runner)
    {
        var command = new Command("queue", "List apps and pods with instances waiting to launch");
        runner.Bind(command, async (ctx, ct) =>
        {
            var queue = await ctx.Client.GetQueueAsync(ct);
            if (ctx.Json)
            {
                return ctx.PrintJson(queue.Raw);
            }
            ctx.Table(QueueHeaders, queue.Items.Select(q => (IReadOnlyList<string>)
            [
                q.IsPod ? q.RunSpecId + " (pod)" : q.RunSpecId,
                q.Count.ToString(CultureInfo.InvariantCulture),
                CellText.Or(q.Role),
                q.DelaySecondsLeft is { } s ? CellText.Number(s) + "s" : "-",
                q.Overdue switch { true => "yes", false => "no", null => "-" },
                CellText.Or(q.Since),
            ]));
            return CliExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>harrier agent list</c>: the agents and what their tasks use.</summary>
    public static Command CreateAgent(CommandRunner runner)
    {
        var list = new Command("list", "List agents with their role, connection and resource use");
        runner.Bind(list, async (ctx, ct) =>
        {
            var agents = await ctx.Client.ListAgentsAsync(ct);
            if (ctx.Json)
            {
                return ctx.PrintJson(agents.Raw);
            }
            ctx.Table(AgentHeaders, agents.Items.Select(a => (IReadOnlyList<string>)
            [
                a.Id,
                a.Hostname,
                a.Role,
                a.Connected ? "yes" : "no",
                a.Mode,
                a.Tasks.ToString(CultureInfo.InvariantCulture),
                $"{CellText.Number(a.CpusUsed)}/{CellText.Number(a.CpusTotal)}",
                $"{CellText.Number(a.MemUsed)}/{CellText.Number(a.MemTotal)}",
                a.Overlays.Count + a.Networks.Count == 0
                    ? "-"
                    : string.Join(",", a.Overlays.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value).Concat(a.Networks)),
            ]));
            return CliExitCodes.Ok;
        });
        return new Command("agent", "Agents (harrier agent list | drain ID | undrain ID)") { list, Drain(runner, true), Drain(runner, false) };
    }

    /// <summary><c>harrier agent drain ID</c> / <c>undrain ID</c>.</summary>
    private static Command Drain(CommandRunner runner, bool drain)
    {
        var id = new Argument<string>("ID") { Description = "The agent id (harrier agent list)" };
        var command = new Command(
            drain ? "drain" : "undrain",
            drain
                ? "Move instances off an agent under each app's upgradeStrategy; it is in maintenance once empty"
                : "Return a drained agent to service")
        {
            id,
        };
        runner.Bind(command, async (ctx, ct) =>
        {
            var agent = await ctx.Client.SetAgentDrainAsync(ctx.Value(id), drain, ct);
            if (ctx.Json)
            {
                return ctx.PrintJson(agent.Raw);
            }
            await ctx.Out.WriteLineAsync($"Agent {agent.Id} ({agent.Hostname}) is {agent.Mode}.");
            return CliExitCodes.Ok;
        });
        return command;
    }

    private static readonly string[] AgentHeaders = ["ID", "HOSTNAME", "ROLE", "CONNECTED", "MODE", "TASKS", "CPUS", "MEM", "NETWORKS"];

    public static Command CreateInfo(CommandRunner runner)
    {
        var command = new Command("info", "Show the server's name, version and leader");
        runner.Bind(command, async (ctx, ct) =>
        {
            var info = await ctx.Client.GetInfoAsync(ct);
            if (ctx.Json)
            {
                return ctx.PrintJson(info.Raw);
            }
            var leader = CellText.Or(info.Leader) + (info.Elected == true ? " (elected)" : "");
            await ctx.Out.WriteLineAsync($"Server:        {ctx.Client.Server.AbsoluteUri.TrimEnd('/')}");
            await ctx.Out.WriteLineAsync($"Name:          {CellText.Or(info.Name)}");
            await ctx.Out.WriteLineAsync($"Version:       {CellText.Or(info.Version)}");
            await ctx.Out.WriteLineAsync($"Leader:        {leader}");
            await ctx.Out.WriteLineAsync($"Framework ID:  {CellText.Or(info.FrameworkId)}");
            return CliExitCodes.Ok;
        });
        return command;
    }
}
