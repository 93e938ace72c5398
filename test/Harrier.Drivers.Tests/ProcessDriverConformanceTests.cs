using Harrier.Drivers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harrier.Drivers.Tests;

public sealed class ProcessDriverConformanceTests : DriverConformanceTests
{
    private ProcessDriver? _driver;

    // No cgroups here: the cgroup behaviour has its own tests, and this keeps the suite runnable unprivileged.
    protected override ITaskDriver Driver => _driver ??= new ProcessDriver(new ProcessDriverOptions { UseCgroups = false, PollInterval = TimeSpan.FromMilliseconds(20) }, NullLogger.Instance);

    private protected override DriverTaskSpec ExitsWith(int code) => Sandbox.Spec(shell: $"exit {code}");

    private protected override DriverTaskSpec RunsUntilKilled() => Sandbox.Spec(argv: ["sleep", "1000"]);

    private protected override DriverTaskSpec Writes(string output) => Sandbox.Spec(argv: ["echo", output]);
}
