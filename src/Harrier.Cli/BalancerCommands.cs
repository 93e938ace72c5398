using System.CommandLine;
using System.Globalization;

namespace Harrier.Cli;

/// <summary><c>harrier balancer list</c>: the balancers (<c>harrier lb</c>) registered with the server.</summary>
internal static class BalancerCommands
{
    private static readonly string[] Headers = ["ID", "GROUPS", "STATS", "PENDING DRAINS", "LAST SEEN"];

    public static Command Create(CommandRunner runner)
    {
        var list = new Command("list", "List registered balancers with their groups and the kills waiting for their drain confirmation");
        runner.Bind(list, async (ctx, ct) =>
        {
            var balancers = await ctx.Client.ListBalancersAsync(ct);
            if (ctx.Json)
            {
                return ctx.PrintJson(balancers.Raw);
            }
            ctx.Table(Headers, balancers.Items.Select(b => (IReadOnlyList<string>)
            [
                b.Id,
                CellText.Or(string.Join(',', b.Groups)),
                CellText.Or(b.StatsUrl),
                b.PendingDrains.ToString(CultureInfo.InvariantCulture),
                CellText.Or(b.LastSeenAt),
            ]));
            return CliExitCodes.Ok;
        });
        return new Command("balancer", "Balancers registered with the server (harrier balancer list)") { list };
    }
}
