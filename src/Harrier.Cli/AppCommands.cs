using System.CommandLine;
using System.Globalization;
using Harrier.Client;

namespace Harrier.Cli;

/// <summary><c>harrier app add|list|show|update|scale|restart|remove</c>.</summary>
internal static class AppCommands
{
    private static readonly string[] ListHeaders = ["ID", "INSTANCES", "CPUS", "MEM", "STATUS", "CMD"];

    public static Command Create(CommandRunner runner) =>
        new("app", "Create, inspect and change apps")
        {
            Add(runner), List(runner), Show(runner), Update(runner), Scale(runner), Restart(runner), Remove(runner),
        };

    private static Command Add(CommandRunner runner)
    {
        var file = new Argument<string>("FILE") { Description = "Marathon app definition (JSON); - reads standard input" };
        var command = new Command("add", "Create an app from a Marathon app definition") { file };
        runner.Bind(command, async (ctx, ct) =>
        {
            var definition = DefinitionReader.Read(ctx.Value(file), ctx.Console.In);
            var created = await ctx.Client.CreateAppAsync(definition, ct);
            if (ctx.Json)
            {
                return ctx.PrintJson(created.App.Raw);
            }
            await ctx.Out.WriteLineAsync($"Created app {created.App.Id}" + (created.DeploymentId is { } d ? $" (deployment {d})" : ""));
            return CliExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CommandRunner runner)
    {
        var command = new Command("list", "List apps with their instances and status");
        runner.Bind(command, async (ctx, ct) =>
        {
            // Marathon always embeds counts and deployments in a list; asking keeps older servers honest too.
            var apps = await ctx.Client.ListAppsAsync("apps.counts,apps.deployments", ct);
            if (ctx.Json)
            {
                return ctx.PrintJson(apps.Raw);
            }
            ctx.Table(ListHeaders, apps.Items.OrderBy(a => a.Id, StringComparer.Ordinal).Select(Row));
            return CliExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One app's row under <see cref="ListHeaders"/> (<c>app list</c>, and <c>group show</c>'s apps).</summary>
    internal static IReadOnlyList<string> Row(AppInfo a) =>
    [
        a.Id,
        $"{a.TasksRunning}/{a.Instances}",
        CellText.Number(a.Cpus),
        CellText.Number(a.Mem),
        CellText.Status(a),
        CellText.Truncate(CellText.Command(a), CellText.CommandWidth),
    ];

    private static Command Show(CommandRunner runner)
    {
        var id = AppId();
        var command = new Command("show", "Show one app and its tasks") { id };
        runner.Bind(command, async (ctx, ct) =>
        {
            var app = await ctx.Client.GetAppAsync(ctx.Value(id), ct);
            if (ctx.Json)
            {
                return ctx.PrintJson(app.Raw);
            }
            AppShowRenderer.Write(ctx.Console, app);
            return CliExitCodes.Ok;
        });
        return command;
    }

    private static Command Update(CommandRunner runner)
    {
        var id = AppId();
        var file = new Argument<string>("FILE") { Description = "Fields to change (JSON); - reads standard input" };
        var force = Force();
        var command = new Command("update", "Change an app: the given top-level fields replace the stored ones") { id, file, force };
        runner.Bind(command, async (ctx, ct) =>
        {
            var body = DefinitionReader.Read(ctx.Value(file), ctx.Console.In);
            var result = await ctx.Client.UpdateAppAsync(ctx.Value(id), body, ctx.Value(force), partial: true, ct);
            return await ctx.ReportDeploymentAsync(result, $"Updating app {CommandContext.NormalizeId(ctx.Value(id))}");
        });
        return command;
    }

    private static Command Scale(CommandRunner runner)
    {
        var id = AppId();
        var instances = new Argument<int>("N") { Description = "Desired number of instances" };
        instances.Validators.Add(r =>
        {
            // Only judge values that parse: a non-number is already reported as a conversion error.
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, CultureInfo.InvariantCulture, out var n) && n < 0)
            {
                r.AddError("N must be 0 or more");
            }
        });
        var force = Force();
        var command = new Command("scale", "Set an app's number of instances") { id, instances, force };
        runner.Bind(command, async (ctx, ct) =>
        {
            var n = ctx.Value(instances);
            var result = await ctx.Client.ScaleAppAsync(ctx.Value(id), n, ctx.Value(force), ct);
            return await ctx.ReportDeploymentAsync(result, $"Scaling app {CommandContext.NormalizeId(ctx.Value(id))} to {n.ToString(CultureInfo.InvariantCulture)} instance{(n == 1 ? "" : "s")}");
        });
        return command;
    }

    private static Command Restart(CommandRunner runner)
    {
        var id = AppId();
        var force = Force();
        var command = new Command("restart", "Replace every task of an app, following its upgrade strategy") { id, force };
        runner.Bind(command, async (ctx, ct) =>
            await ctx.ReportDeploymentAsync(await ctx.Client.RestartAppAsync(ctx.Value(id), ctx.Value(force), ct), $"Restarting app {CommandContext.NormalizeId(ctx.Value(id))}"));
        return command;
    }

    private static Command Remove(CommandRunner runner)
    {
        var id = AppId();
        var force = Force();
        var command = new Command("remove", "Remove an app and kill its tasks") { id, force };
        runner.Bind(command, async (ctx, ct) =>
            await ctx.ReportDeploymentAsync(await ctx.Client.DeleteAppAsync(ctx.Value(id), ctx.Value(force), ct), $"Removing app {CommandContext.NormalizeId(ctx.Value(id))}"));
        return command;
    }

    private static Argument<string> AppId() => new("ID") { Description = "App id, e.g. /prod/web" };

    private static Option<bool> Force() => new("--force") { Description = "Override a deployment that holds a lock on the app" };
}
