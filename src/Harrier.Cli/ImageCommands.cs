using System.CommandLine;
using System.Globalization;
using Harrier.Client;

namespace Harrier.Cli;

/// <summary><c>harrier image list|pull|rm</c> on an agent's image store; <c>--agent ID</c> picks the agent when the
/// cluster has more than one connected.</summary>
internal static class ImageCommands
{
    private static readonly string[] Headers = ["REFERENCE", "DIGEST", "SIZE", "LAST USED", "APPS"];

    public static Command Create(CommandRunner runner)
    {
        var agentOption = new Option<string?>("--agent") { Description = "The agent (harrier agent list); may be left out when one agent is connected", HelpName = "ID" };
        var list = new Command("list", "List the images in an agent's store, with sizes, last use and the apps using them") { agentOption };
        runner.Bind(list, async (ctx, ct) =>
        {
            var agent = await AgentAsync(ctx, ctx.Value(agentOption), ct);
            var images = await ctx.Client.ListImagesAsync(agent, ct);
            if (ctx.Json)
            {
                return ctx.PrintJson(images.Raw);
            }
            ctx.Table(Headers, images.Items.Select(Row));
            return CliExitCodes.Ok;
        });

        var image = new Argument<string>("IMAGE") { Description = "An image reference (busybox, registry:5000/team/app:1.2, name@sha256:…)" };
        var force = new Option<bool>("--force") { Description = "Fetch the manifest again even if the image is present (forcePullImage)" };
        var pull = new Command("pull", "Pull an image into an agent's store") { image, force, agentOption };
        runner.Bind(pull, async (ctx, ct) =>
        {
            var agent = await AgentAsync(ctx, ctx.Value(agentOption), ct);
            var pulled = await ctx.Client.PullImageAsync(agent, ctx.Value(image), ctx.Value(force), ct);
            if (ctx.Json)
            {
                return ctx.PrintJson(pulled.Raw);
            }
            foreach (var i in pulled.Items)
            {
                await ctx.Out.WriteLineAsync($"Pulled {i.Reference} ({i.ManifestDigest}, {Size(i.Size)}) on agent {agent}");
            }
            return CliExitCodes.Ok;
        });

        var remove = new Command("rm", "Remove an image that no task uses from an agent's store") { image, agentOption };
        runner.Bind(remove, async (ctx, ct) =>
        {
            var agent = await AgentAsync(ctx, ctx.Value(agentOption), ct);
            await ctx.Client.RemoveImageAsync(agent, ctx.Value(image), ct);
            if (!ctx.Json)
            {
                await ctx.Out.WriteLineAsync($"Removed {ctx.Value(image)} from agent {agent}");
            }
            return CliExitCodes.Ok;
        });
        return new Command("image", "Images in an agent's store (harrier image list | pull IMAGE | rm IMAGE)") { list, pull, remove };
    }

    private static IReadOnlyList<string> Row(ImageSummary i) =>
    [
        i.Reference,
        i.ManifestDigest.Length > 19 ? i.ManifestDigest[..19] : i.ManifestDigest,
        Size(i.Size),
        CellText.Or(i.LastUsed),
        CellText.Or(string.Join(',', i.Apps)),
    ];

    private static string Size(long bytes) => bytes >= 1_000_000
        ? (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB"
        : (bytes / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " kB";

    /// <summary>The named agent, or the only connected one.</summary>
    private static async Task<string> AgentAsync(CommandContext ctx, string? named, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(named))
        {
            return named;
        }
        var connected = (await ctx.Client.ListAgentsAsync(ct)).Items.Where(a => a.Connected).ToList();
        return connected.Count switch
        {
            1 => connected[0].Id,
            0 => throw new CliInputException("No agent is connected"),
            _ => throw new CliInputException($"{connected.Count} agents are connected: name one with --agent ID (harrier agent list)"),
        };
    }
}
