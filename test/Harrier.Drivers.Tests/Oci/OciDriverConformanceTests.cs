namespace Harrier.Drivers.Tests.Oci;

/// <summary>The driver conformance suite with crun containers of the busybox test image (root).</summary>
public class OciDriverConformanceTests : DriverConformanceTests
{
    private OciTestHost? _host;

    /// <summary>The OCI runtime under test.</summary>
    protected virtual string Runtime => "crun";

    protected override ITaskDriver Driver => Host.Driver;

    private OciTestHost Host => _host ??= new OciTestHost(Sandbox, Runtime);

    private protected override DriverTaskSpec ExitsWith(int code) => Spec(shell: $"exit {code}");

    // A container's init gets no default action for TERM: without a handler it would ignore it (as in Docker).
    private protected override DriverTaskSpec RunsUntilKilled() => Spec(shell: "trap 'exit 143' TERM; sleep 1000 & wait");

    private protected override DriverTaskSpec Writes(string output) => Spec(argv: ["echo", output]);

    private protected override async ValueTask DisposeDriverAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private DriverTaskSpec Spec(string? shell = null, IReadOnlyList<string>? argv = null)
    {
        OciTestHost.Require(Runtime);
        return Host.Spec(shell: shell, argv: argv);
    }
}
