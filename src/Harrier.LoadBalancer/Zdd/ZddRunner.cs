using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// One zdd run (zdd.py's do_zdd): read and check the app JSON, list the deploys in its group; with two or more
/// running, resume or complete them (<c>--resume</c>, <c>--complete-cur</c>, <c>--complete-prev</c>); else prepare
/// the other colour, print it, create it and swap (<see cref="ZddSwap"/>). Failures are <see cref="ZddFailure"/>s.
/// </summary>
internal sealed class ZddRunner(ZddArguments args, ZddMarathonClient marathon, ZddSwap swap, ZddConsole console, TimeProvider time)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var app = await LoadAppAsync(ct);
        ZddAppPreparer.Validate(app);
        var group = ZddAppJson.DeploymentGroup(app)!;
        var previous = ZddDeploys.InGroup(await marathon.ListAppsAsync("list the apps", ct), group);
        foreach (var deploy in previous)
        {
            if (ZddAppJson.Id(deploy) is not { } id || !ZddAppIds.IsValid(id))
            {
                throw new ZddFailure("list the apps", $"the server lists an app of group {group} with an unusable id '{ZddAppJson.Printable(ZddAppJson.Id(deploy) ?? "")}'");
            }
        }
        if (previous.Count > 1)
        {
            await ResumeAsync(group, previous, ct);
            return;
        }
        if (args.CompleteCur || args.CompletePrev)
        {
            throw new ZddFailure("resume", $"--complete-cur and --complete-prev finish a hybrid or stuck pair, and group {group} has {previous.Count} app(s)");
        }

        var next = ZddAppPreparer.Prepare(app, previous, args.NewInstances, args.InitialInstances, time.GetLocalNow().DateTime);
        var nextId = ZddAppJson.Id(next)!;
        await console.ProgressAsync("final app definition:");
        await console.PrintAppAsync(next);
        if (args.DryRun)
        {
            return;
        }
        if (!await console.ConfirmAsync("Continue with deployment?", ct))
        {
            throw new ZddFailure("create the new app", "not confirmed; nothing was changed");
        }
        await marathon.CreateAppAsync(next, "create the new app", ct);
        await console.ProgressAsync($"created {nextId}");
        if (previous.Count == 0)
        {
            return;
        }
        await swap.RunAsync(nextId, ZddAppJson.Id(previous[0])!, ct);
    }

    private async Task ResumeAsync(string group, IReadOnlyList<JsonObject> previous, CancellationToken ct)
    {
        var (latest, before) = ZddDeploys.LastTwo(previous);
        var (newApp, oldApp, what) =
            args.CompleteCur ? (latest, before, "converting every instance to the current config")
            : args.CompletePrev ? (before, latest, "converting every instance to the previous config")
            : args.Resume ? (latest, before, "resuming the deploy")
            : throw new ZddFailure("resume", $"group {group} already has {previous.Count} apps ({string.Join(", ", previous.Select(ZddAppJson.Id))}): a deploy is in progress, stuck or hybrid; use --resume, --complete-cur or --complete-prev");
        var newId = ZddAppJson.Id(newApp)!;
        var oldId = ZddAppJson.Id(oldApp)!;
        await console.ProgressAsync($"{what}: {newId} ({ZddAppJson.Label(newApp, ZddLabels.Colour)}) is the new app, {oldId} ({ZddAppJson.Label(oldApp, ZddLabels.Colour)}) the old one");
        if (args.DryRun)
        {
            return;
        }
        await swap.RunAsync(newId, oldId, ct);
    }

    private async Task<JsonObject> LoadAppAsync(CancellationToken ct)
    {
        const string step = "read the app JSON";
        string text;
        try
        {
            text = await File.ReadAllTextAsync(args.AppJsonPath, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ZddFailure(step, $"cannot read {args.AppJsonPath}: {e.Message}");
        }
        try
        {
            return ZddAppJson.WithoutNulls(JsonNode.Parse(text)) as JsonObject ?? throw new ZddFailure(step, $"{args.AppJsonPath} is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new ZddFailure(step, $"{args.AppJsonPath} is not JSON: {e.Message}");
        }
    }
}
