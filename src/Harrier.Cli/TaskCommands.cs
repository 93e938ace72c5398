using System.CommandLine;
using System.Text.Json.Nodes;
using Harrier.Client;

namespace Harrier.Cli;

/// <summary><c>harrier task list|kill</c>.</summary>
internal static class TaskCommands
{
    private static readonly string[] ListHeaders = ["TASK ID", "APP", "HOST", "PORTS", "STATE", "STARTED"];

    public static Command Create(CommandRunner runner) =>
        new("task", "List and kill tasks") { List(runner), Kill(runner) };

    private static Command List(CommandRunner runner)
    {
        var app = new Option<string?>("--app") { Description = "Only the tasks of this app", HelpName = "ID" };
        var status = new Option<string?>("--status") { Description = "Only tasks in this state" };
        status.AcceptOnlyFromAmong("running", "staging");
        var command = new Command("list", "List tasks") { app, status };
        runner.Bind(command, async (ctx, ct) =>
        {
            var appId = ctx.Value(app);
            var wanted = ctx.Value(status);
            ApiList<AppTask> tasks;
            if (appId is null)
            {
                tasks = await ctx.Client.ListTasksAsync(wanted, ct);
            }
            else
            {
                // The per-app list has no status filter (and 404s on an unknown app), so filter here.
                tasks = await ctx.Client.ListAppTasksAsync(appId, ct);
                if (wanted is not null)
                {
                    var kept = tasks.Items.Where(t => InStatus(t, wanted)).ToList();
                    tasks = new ApiList<AppTask>(kept, new JsonObject { ["tasks"] = new JsonArray([.. kept.Select(t => t.Raw.DeepClone())]) });
                }
            }
            if (ctx.Json)
            {
                return ctx.PrintJson(tasks.Raw);
            }
            ctx.Table(ListHeaders, tasks.Items.OrderBy(t => t.AppId, StringComparer.Ordinal).ThenBy(t => t.Id, StringComparer.Ordinal).Select(t => (IReadOnlyList<string>)
            [
                t.Id,
                t.AppId,
                CellText.Or(t.Host),
                CellText.Ports(t.Ports),
                CellText.Or(t.State),
                CellText.Or(t.StartedAt),
            ]));
            return CliExitCodes.Ok;
        });
        return command;
    }

    private static Command Kill(CommandRunner runner)
    {
        var taskId = new Argument<string>("TASKID") { Description = "Task id, or a prefix that matches one task" };
        var scale = new Option<bool>("--scale") { Description = "Also lower the app's instance count, so the task is not replaced" };
        var wipe = new Option<bool>("--wipe") { Description = "Also discard the task's reservation and persistent volumes" };
        var command = new Command("kill", "Kill a task") { taskId, scale, wipe };
        runner.Bind(command, async (ctx, ct) =>
        {
            var task = TaskFinder.Find((await ctx.Client.ListTasksAsync(null, ct)).Items, ctx.Value(taskId));
            var result = await ctx.Client.KillTaskAsync(task.AppId, task.Id, ctx.Value(scale), ctx.Value(wipe), ct);
            if (ctx.Json)
            {
                return ctx.PrintJson(result.Raw);
            }
            await ctx.Out.WriteLineAsync(result.Deployment is { } deployment
                ? $"Killed task {task.Id} and scaled app {task.AppId} down: deployment {deployment.DeploymentId}"
                : $"Killed task {task.Id} of app {task.AppId}");
            return CliExitCodes.Ok;
        });
        return command;
    }

    // Marathon's filter compares the instance condition; a task's Mesos state is the closest thing the client sees.
    private static bool InStatus(AppTask task, string status) => status switch
    {
        "running" => task.State == "TASK_RUNNING",
        "staging" => task.State is "TASK_STAGING" or "TASK_STARTING",
        _ => true,
    };
}
