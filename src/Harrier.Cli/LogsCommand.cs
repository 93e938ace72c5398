using System.CommandLine;

namespace Harrier.Cli;

/// <summary><c>harrier logs TASK [--stderr] [--tail N] [--follow]</c>: a task's stdout or stderr, streamed.</summary>
internal static class LogsCommand
{
    public static Command Create(CommandRunner runner)
    {
        var taskId = new Argument<string>("TASK") { Description = "Task id, or a prefix that matches one task" };
        var stderr = new Option<bool>("--stderr") { Description = "Show standard error instead of standard output" };
        var tail = new Option<int?>("--tail") { Description = "Start with only the last N lines", HelpName = "N" };
        tail.Validators.Add(r =>
        {
            // Only judge values that parse: a non-number is already reported as a conversion error.
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out var n) && n < 0)
            {
                r.AddError("--tail must be 0 or more");
            }
        });
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new output until the task ends (Ctrl+C stops)" };
        var command = new Command("logs", "Print a task's output") { taskId, stderr, tail, follow };
        runner.Bind(command, async (ctx, ct) =>
        {
            var task = TaskFinder.Find((await ctx.Client.ListTasksAsync(null, ct)).Items, ctx.Value(taskId));
            var chunks = ctx.Client.StreamLogsAsync(task.AppId, task.Id, ctx.Value(stderr) ? "stderr" : "stdout", ctx.Value(tail), ctx.Value(follow), ct);
            await foreach (var chunk in chunks)
            {
                await ctx.Out.WriteAsync(chunk);
                // Flush per chunk: with --follow the user watches output as it arrives.
                await ctx.Out.FlushAsync(ct);
            }
            return CliExitCodes.Ok;
        });
        return command;
    }
}
