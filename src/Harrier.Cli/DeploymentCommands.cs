using System.CommandLine;
using System.Globalization;
using Harrier.Client;

namespace Harrier.Cli;

/// <summary><c>harrier deployment show|watch|rollback</c>.</summary>
internal static class DeploymentCommands
{
    public static Command Show(CommandRunner runner)
    {
        var id = new Argument<string>("ID") { Description = "Deployment id" };
        var command = new Command("show", "Show a running deployment's steps and where it is") { id };
        runner.Bind(command, async (ctx, ct) =>
        {
            var deployment = await FindAsync(ctx, ctx.Value(id), ct)
                ?? throw new CliInputException($"no running deployment {ctx.Value(id)} (finished deployments are not kept)");
            if (ctx.Json)
            {
                return ctx.PrintJson(deployment.Raw);
            }
            Render(ctx.Out, deployment);
            return CliExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Prints the deployment each time it moves, until it is gone (finished, cancelled or rolled back).</summary>
    public static Command Watch(CommandRunner runner)
    {
        var id = new Argument<string>("ID") { Description = "Deployment id" };
        var interval = new Option<double>("--interval") { Description = "Seconds between checks", DefaultValueFactory = _ => 1 };
        var command = new Command("watch", "Follow a deployment until it ends") { id, interval };
        runner.Bind(command, async (ctx, ct) =>
        {
            string? last = null;
            while (await FindAsync(ctx, ctx.Value(id), ct) is { } deployment)
            {
                var now = string.Create(CultureInfo.InvariantCulture, $"step {deployment.CurrentStep}/{deployment.TotalSteps}: {string.Join(", ", deployment.CurrentActions.Select(Describe))}");
                if (now != last)
                {
                    await ctx.Out.WriteLineAsync(now);
                    await ctx.Out.FlushAsync(ct);
                    last = now;
                }
                await Task.Delay(TimeSpan.FromSeconds(Math.Max(0.05, ctx.Value(interval))), ct);
            }
            await ctx.Out.WriteLineAsync(last is null
                ? $"no running deployment {ctx.Value(id)}"
                : $"deployment {ctx.Value(id)} is no longer running");
            return CliExitCodes.Ok;
        });
        return command;
    }

    public static Command Rollback(CommandRunner runner)
    {
        var id = new Argument<string>("ID") { Description = "Deployment id" };
        var force = new Option<bool>("--force") { Description = "Stop the deployment where it is instead of reverting its changes" };
        var command = new Command("rollback", "Revert a running deployment's changes (or, with --force, just stop it)") { id, force };
        runner.Bind(command, async (ctx, ct) =>
        {
            var result = await ctx.Client.CancelDeploymentAsync(ctx.Value(id), ctx.Value(force), ct);
            await ctx.Out.WriteLineAsync(result is null
                ? $"deployment {ctx.Value(id)} stopped; its instances stay as they are"
                : $"rolling back with deployment {result.DeploymentId}");
            return CliExitCodes.Ok;
        });
        return command;
    }

    private static async Task<Deployment?> FindAsync(CommandContext ctx, string id, CancellationToken ct) =>
        (await ctx.Client.ListDeploymentsAsync(ct)).Items.FirstOrDefault(d => d.Id == id);

    /// <summary><c>RestartApplication /web (waiting: HealthFailing — …)</c>; the wait's duration is left out so watch lines change only when something happens.</summary>
    private static string Describe(DeploymentAction a) =>
        a.Reason is { } r ? $"{a.Action} {a.Target} (waiting: {r.Type} — {r.Message})" : $"{a.Action} {a.Target}";

    private static void Render(TextWriter output, Deployment d)
    {
        output.WriteLine($"ID        {d.Id}");
        output.WriteLine($"VERSION   {d.Version}");
        output.WriteLine($"AFFECTED  {string.Join(", ", d.AffectedApps.Concat(d.AffectedPods))}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"STEP      {d.CurrentStep} of {d.TotalSteps}"));
        var steps = d.Raw["steps"]?.AsArray() ?? [];
        for (var i = 0; i < steps.Count; i++)
        {
            var marker = i + 1 == d.CurrentStep ? "->" : "  ";
            var actions = (steps[i]?["actions"]?.AsArray() ?? []).Select(a => $"{a?["action"]} {a?["app"] ?? a?["pod"]}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{marker} {i + 1}. {string.Join(", ", actions)}"));
        }
        foreach (var action in d.CurrentActions.Where(a => a.Reason is not null))
        {
            var r = action.Reason!;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"WAITING   {action.Target}: {r.Type} for {r.ForSeconds:0.#}s — {r.Message}"));
        }
        foreach (var change in d.Raw["changes"]?.AsArray() ?? [])
        {
            var fields = string.Join(", ", change?["fields"]?.AsArray().Select(f => f?.GetValue<string>()) ?? []);
            output.WriteLine($"CHANGE    {change?["app"]}: {change?["class"]}{(fields.Length > 0 ? $" ({fields})" : "")}");
        }
    }
}
