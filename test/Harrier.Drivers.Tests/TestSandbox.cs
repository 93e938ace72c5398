using Harrier.Drivers;

namespace Harrier.Drivers.Tests;

/// <summary>A temp directory with a sandbox and a state dir per task; deleted on dispose.</summary>
internal sealed class TestSandbox : IDisposable
{
    public TestSandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "harrier-drv-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public DriverTaskSpec Spec(string? shell = null, IReadOnlyList<string>? argv = null, string? taskId = null, IReadOnlyDictionary<string, string>? env = null)
    {
        var id = taskId ?? "t-" + Guid.NewGuid().ToString("N")[..10];
        return new DriverTaskSpec
        {
            TaskId = id,
            SandboxDirectory = Path.Combine(Root, "sandboxes", id),
            StateDirectory = Path.Combine(Root, "tasks", id),
            Shell = shell,
            Argv = argv ?? [],
            Environment = env ?? new Dictionary<string, string> { ["PATH"] = "/usr/local/bin:/usr/bin:/bin" },
            Cpus = 0.1,
            MemMiB = 64,
        };
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
