using System.CommandLine;
using System.Globalization;
using Harrier.Client;

namespace Harrier.Cli;

/// <summary><c>harrier group add|show|update|scale|remove|versions</c> (the groups API, §2.2).</summary>
internal static class GroupCommands
{
    private static readonly string[] GroupHeaders = ["GROUP", "APPS", "DEPENDENCIES"];
    private static readonly string[] AppHeaders = ["APP", "INSTANCES", "CPUS", "MEM", "STATUS", "CMD"];
    private const string ShowEmbeds = "group.groups,group.apps,group.apps.counts,group.apps.deployments";

    public static Command Create(CommandRunner runner) =>
        new("group", "Create, inspect and change groups of apps")
        {
            Add(runner), Show(runner), Update(runner), Scale(runner), Remove(runner), Versions(runner),
        };

    private static Command Add(CommandRunner runner)
    {
        var file = new Argument<string>("FILE") { Description = "Marathon group definition (JSON, with its id); - reads standard input" };
        var force = Force();
        var command = new Command("add", "Create a group, its apps and child groups as one deployment") { file, force };
        runner.Bind(command, async (ctx, ct) =>
        {
            var definition = DefinitionReader.Read(ctx.Value(file), ctx.Console.In);
            var result = await ctx.Client.CreateGroupAsync(definition, ctx.Value(force), ct);
            var id = definition["id"]?.GetValue<string>() ?? "/";
            return await ctx.ReportDeploymentAsync(result, $"Creating group {CommandContext.NormalizeId(id)}");
        });
        return command;
    }

    private static Command Show(CommandRunner runner)
    {
        var id = new Argument<string>("ID") { Description = "Group id, e.g. /prod (default: the root group)", DefaultValueFactory = _ => "/" };
        var command = new Command("show", "Show a group: its child groups and every app below it") { id };
        runner.Bind(command, async (ctx, ct) =>
        {
            var group = await ctx.Client.GetGroupAsync(ctx.Value(id), ShowEmbeds, ct);
            if (ctx.Json)
            {
                return ctx.PrintJson(group.Raw);
            }
            await ctx.Out.WriteLineAsync($"ID            {group.Id}");
            await ctx.Out.WriteLineAsync($"VERSION       {CellText.Or(group.Version)}");
            await ctx.Out.WriteLineAsync($"DEPENDENCIES  {Dependencies(group)}");
            if (group.EnforceRole is { } enforce)
            {
                await ctx.Out.WriteLineAsync($"ENFORCE ROLE  {(enforce ? "true" : "false")}");
            }
            var groups = Flatten(group).Skip(1).ToList();
            if (groups.Count > 0)
            {
                await ctx.Out.WriteLineAsync();
                ctx.Table(GroupHeaders, groups.Select(g => (IReadOnlyList<string>)[g.Id, g.Apps.Count.ToString(CultureInfo.InvariantCulture), Dependencies(g)]));
            }
            var apps = group.AllApps().OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
            if (apps.Count > 0)
            {
                await ctx.Out.WriteLineAsync();
                ctx.Table(AppHeaders, apps.Select(AppCommands.Row));
            }
            return CliExitCodes.Ok;
        });
        return command;
    }

    private static Command Update(CommandRunner runner)
    {
        var id = GroupId();
        var file = new Argument<string>("FILE") { Description = "Group definition (JSON); given apps/groups lists replace the stored ones; - reads standard input" };
        var force = Force();
        var dryRun = new Option<bool>("--dry-run") { Description = "Only print the steps the change would run" };
        var command = new Command("update", "Change a group (or create it) as one deployment") { id, file, force, dryRun };
        runner.Bind(command, async (ctx, ct) =>
        {
            var body = DefinitionReader.Read(ctx.Value(file), ctx.Console.In);
            if (ctx.Value(dryRun))
            {
                var plan = await ctx.Client.PreviewGroupUpdateAsync(ctx.Value(id), body, ct);
                if (ctx.Json)
                {
                    return ctx.PrintJson(plan);
                }
                var steps = plan["steps"]?.AsArray() ?? [];
                if (steps.Count == 0)
                {
                    await ctx.Out.WriteLineAsync("No changes");
                }
                for (var i = 0; i < steps.Count; i++)
                {
                    var actions = (steps[i]?["actions"]?.AsArray() ?? []).Select(a => $"{a?["action"]} {a?["app"] ?? a?["pod"]}");
                    await ctx.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{i + 1}. {string.Join(", ", actions)}"));
                }
                return CliExitCodes.Ok;
            }
            var result = await ctx.Client.UpdateGroupAsync(ctx.Value(id), body, ctx.Value(force), ct);
            return await ctx.ReportDeploymentAsync(result, $"Updating group {CommandContext.NormalizeId(ctx.Value(id))}");
        });
        return command;
    }

    private static Command Scale(CommandRunner runner)
    {
        var id = GroupId();
        var factor = new Argument<double>("FACTOR") { Description = "Every app below the group gets ceil(instances × FACTOR)" };
        factor.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && double.TryParse(r.Tokens[0].Value, CultureInfo.InvariantCulture, out var f) && (f < 0 || !double.IsFinite(f)))
            {
                r.AddError("FACTOR must be 0 or more");
            }
        });
        var force = Force();
        var command = new Command("scale", "Scale every app below a group by a factor") { id, factor, force };
        runner.Bind(command, async (ctx, ct) =>
        {
            var f = ctx.Value(factor);
            var result = await ctx.Client.ScaleGroupAsync(ctx.Value(id), f, ctx.Value(force), ct);
            return await ctx.ReportDeploymentAsync(result, string.Create(CultureInfo.InvariantCulture, $"Scaling group {CommandContext.NormalizeId(ctx.Value(id))} by {f}"));
        });
        return command;
    }

    private static Command Remove(CommandRunner runner)
    {
        var id = GroupId();
        var force = Force();
        var command = new Command("remove", "Remove a group with every app and group below it") { id, force };
        runner.Bind(command, async (ctx, ct) =>
            await ctx.ReportDeploymentAsync(await ctx.Client.DeleteGroupAsync(ctx.Value(id), ctx.Value(force), ct), $"Removing group {CommandContext.NormalizeId(ctx.Value(id))}"));
        return command;
    }

    private static Command Versions(CommandRunner runner)
    {
        var id = GroupId();
        var command = new Command("versions", "List a group's versions, newest first") { id };
        runner.Bind(command, async (ctx, ct) =>
        {
            var versions = await ctx.Client.ListGroupVersionsAsync(ctx.Value(id), ct);
            if (ctx.Json)
            {
                return ctx.PrintJson(versions.Raw);
            }
            ctx.Table(["VERSION"], versions.Items.Select(v => (IReadOnlyList<string>)[v]));
            return CliExitCodes.Ok;
        });
        return command;
    }

    private static IEnumerable<GroupInfo> Flatten(GroupInfo group) =>
        new[] { group }.Concat(group.Groups.OrderBy(g => g.Id, StringComparer.Ordinal).SelectMany(Flatten));

    private static string Dependencies(GroupInfo group) => group.Dependencies.Count == 0 ? "-" : string.Join(", ", group.Dependencies);

    private static Argument<string> GroupId() => new("ID") { Description = "Group id, e.g. /prod" };

    private static Option<bool> Force() => new("--force") { Description = "Override deployments that hold a lock on the group's apps" };
}
