using System.Globalization;
using Harrier.Client;

namespace Harrier.Cli;

/// <summary>The readable form of <c>app show</c>: a field list, then the app's tasks as a table.</summary>
internal static class AppShowRenderer
{
    private static readonly string[] TaskHeaders = ["TASK ID", "HOST", "PORTS", "STATE", "HEALTH", "STARTED"];

    public static void Write(CliConsole console, AppInfo app)
    {
        var output = console.Out;
        var fields = new List<(string Name, string Value)>
        {
            ("ID", app.Id),
            ("Command", CellText.Command(app)),
        };
        if (app.ContainerType is not null || app.Image is not null)
        {
            fields.Add(("Container", $"{app.ContainerType ?? "MESOS"} {app.Image}".TrimEnd()));
        }
        fields.Add(("Instances", string.Create(
            CultureInfo.InvariantCulture,
            $"{app.TasksRunning} running of {app.Instances} ({app.TasksStaged} staged, {app.TasksHealthy} healthy, {app.TasksUnhealthy} unhealthy)")));
        fields.Add(("Resources", $"cpus {CellText.Number(app.Cpus)}, mem {CellText.Number(app.Mem)} MiB, disk {CellText.Number(app.Disk)} MiB"));
        fields.Add(("Status", CellText.Status(app)));
        if (app.NetworkModes.Count > 0)
        {
            fields.Add(("Networks", string.Join(", ", app.NetworkModes)));
        }
        if (app.PortDefinitions.Count > 0)
        {
            fields.Add(("Ports", CellText.Ports(app.PortDefinitions)));
        }
        if (app.Labels.Count > 0)
        {
            fields.Add(("Labels", string.Join(", ", app.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))));
        }
        fields.Add(("Version", CellText.Or(app.Version)));
        fields.Add(("Deployments", app.DeploymentIds.Count == 0 ? "none" : string.Join(", ", app.DeploymentIds)));
        if (app.LastTaskFailure is not null)
        {
            fields.Add(("Last failure", app.LastTaskFailure));
        }

        var width = fields.Max(f => f.Name.Length) + 3;
        foreach (var (name, value) in fields)
        {
            output.WriteLine((name + ":").PadRight(width) + value);
        }
        output.WriteLine();
        if (app.Tasks.Count == 0)
        {
            output.WriteLine("No tasks.");
            return;
        }
        output.WriteLine("Tasks:");
        TableRenderer.Write(console, TaskHeaders, app.Tasks.OrderBy(t => t.Id, StringComparer.Ordinal).Select(t => (IReadOnlyList<string>)
        [
            t.Id,
            CellText.Or(t.Host),
            CellText.Ports(t.Ports),
            CellText.Or(t.State),
            CellText.Health(t.Healthy),
            CellText.Or(t.StartedAt),
        ]));
    }
}
