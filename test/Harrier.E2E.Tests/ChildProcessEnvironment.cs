[assembly: Xunit.AssemblyFixture(typeof(Harrier.E2E.Tests.ChildProcessEnvironment))]

namespace Harrier.E2E.Tests;

/// <summary>
/// Made once before the suite's first test: the .NET processes the tests start (harrier dev, agents, balancers, CLIs)
/// inherit <c>DOTNET_EnableDiagnostics_IPC=0</c>, so the ones a test kills with SIGKILL leave no
/// <c>dotnet-diagnostic-*</c> socket behind in /tmp (a CI run left over 200). Harrier's own metrics do not use it.
/// </summary>
public sealed class ChildProcessEnvironment
{
    public ChildProcessEnvironment() => Environment.SetEnvironmentVariable("DOTNET_EnableDiagnostics_IPC", "0");
}
