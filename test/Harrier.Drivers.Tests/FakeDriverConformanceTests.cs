using Harrier.Drivers;

namespace Harrier.Drivers.Tests;

public sealed class FakeDriverConformanceTests : DriverConformanceTests
{
    private readonly FakeDriverOptions _options = new();
    private FakeDriver? _driver;

    protected override ITaskDriver Driver => _driver ??= new FakeDriver(_options, TimeProvider.System);

    private protected override DriverTaskSpec ExitsWith(int code)
    {
        _options.ExitCode = code;
        _options.RunTime = TimeSpan.FromMilliseconds(20);
        return Sandbox.Spec(shell: "fake");
    }

    private protected override DriverTaskSpec RunsUntilKilled()
    {
        _options.ExitCode = null;
        return Sandbox.Spec(shell: "fake");
    }

    private protected override DriverTaskSpec Writes(string output)
    {
        _options.Output = output;
        _options.ExitCode = 0;
        return Sandbox.Spec(shell: "fake");
    }
}
