using Harrier.Drivers.Images;
using Harrier.Drivers.Oci;
using Harrier.Linux;
using Harrier.Testing;
using Harrier.Testing.Oci;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harrier.Drivers.Tests.Oci;

/// <summary>
/// A private OCI driver for one test class instance: its own runtime root, bundles directory and parent cgroup, a
/// busybox image, and on dispose a check-free cleanup of anything left (containers, mounts, cgroups).
/// </summary>
internal sealed class OciTestHost : IAsyncDisposable
{
    public OciTestHost(TestSandbox sandbox, string runtime = "crun")
    {
        Sandbox = sandbox;
        Options = new OciDriverOptions
        {
            Runtime = runtime,
            RuntimeRoot = Path.Combine(sandbox.Root, "runtime"),
            BundlesDir = Path.Combine(sandbox.Root, "bundles"),
            CgroupParent = "harrier-oci-test-" + Guid.NewGuid().ToString("N")[..8],
            PollInterval = TimeSpan.FromMilliseconds(20),
        };
        Driver = new OciDriver(Options, NullLogger.Instance);
        Image = TestRootfs.Busybox(Path.Combine(sandbox.Root, "image"));
    }

    public TestSandbox Sandbox { get; }

    public OciDriverOptions Options { get; }

    public OciDriver Driver { get; }

    public PulledImage Image { get; }

    /// <summary>Null when the test can run (root and the runtime), else why it skips (throws in CI).</summary>
    public static string? Missing(string runtime = "crun") => Requirements.Root() ?? Requirements.Binary(runtime);

    /// <summary>Skips the test without root or the runtime (fails in CI).</summary>
    public static void Require(string runtime = "crun")
    {
        if (Missing(runtime) is { } why)
        {
            Xunit.Assert.Skip(why);
        }
    }

    public DriverTaskSpec Spec(string? shell = null, IReadOnlyList<string>? argv = null, Func<ContainerTaskSpec, ContainerTaskSpec>? container = null, Dictionary<string, string>? env = null)
    {
        var spec = Sandbox.Spec(shell: shell, argv: argv, env: env ?? new Dictionary<string, string>());
        var c = new ContainerTaskSpec { Image = Image };
        return spec with { Container = container?.Invoke(c) ?? c };
    }

    /// <summary>Directories of the test's parent cgroup that still exist, in any hierarchy.</summary>
    public IReadOnlyList<string> CgroupDirectories() =>
        [.. CgroupTree.Hierarchies().Select(h => Path.Combine(h, Options.CgroupParent)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateDirectories(d, "*", SearchOption.AllDirectories))];

    public async ValueTask DisposeAsync()
    {
        await Driver.DisposeAsync();
        if (Requirements.IsRoot && Directory.Exists(Options.RuntimeRoot))
        {
            // Whatever a failed test left: the fresh driver knows no task, so everything is an orphan to it.
            await using var sweeper = new OciDriver(Options, NullLogger.Instance);
            await sweeper.CleanupAsync(new HashSet<string>());
        }
        foreach (var mount in Directory.Exists(Sandbox.Root) ? Mounts.Under(Sandbox.Root) : [])
        {
            Mounts.Unmount(mount);
        }
        if (Requirements.IsRoot)
        {
            await CgroupTree.DestroyAsync(Options.CgroupParent, TimeSpan.FromSeconds(5));
        }
    }
}
