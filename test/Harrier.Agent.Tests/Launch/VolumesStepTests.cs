using Harrier.Agent.Launch;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;
using Harrier.Drivers.Images;
using Harrier.Protocol;
using Xunit;

namespace Harrier.Agent.Tests.Launch;

/// <summary>Volumes are hostile input too: nothing a launch says may reach outside the sandbox or the volumes dir.</summary>
public sealed class VolumesStepTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "harrier-volumes-" + Guid.NewGuid().ToString("N")[..8]);

    public VolumesStepTests() => Directory.CreateDirectory(Path.Combine(_root, "sandbox"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Sandbox => Path.Combine(_root, "sandbox");

    private PersistentVolumes Volumes => new(Path.Combine(_root, "volumes"));

    private LaunchContext Context(bool container, params TaskVolume[] volumes)
    {
        var launch = new TaskLaunch
        {
            TaskId = new TaskId("t.instance-1._app.1"),
            InstanceId = new InstanceId("t.instance-1"),
            AppId = PathId.Parse("/t"),
            AppVersion = Timestamp.Zero,
            Shell = "true",
            Resources = new ResourceVector(0.1, 16, 0, 0),
            Container = new TaskContainer { Image = container ? "busybox" : null, Volumes = volumes },
        };
        var context = new LaunchContext(launch, Sandbox, Path.Combine(_root, "state"), _ => { });
        if (container)
        {
            context.Image = new PulledImage("docker.io/library/busybox:latest", "sha256:m", "sha256:c", new ImageConfig(), [], 0);
        }
        return context;
    }

    [Fact]
    public async Task PrepareAsync_ContainerVolumes_MountsHostAndPersistentWhereMesosDoes()
    {
        var host = Path.Combine(_root, "host");
        var context = Context(true,
            new TaskVolume("/etc/app", true, HostPath: host),
            new TaskVolume("data", false, PersistentId: "t#data#1", SizeMiB: 10),
            new TaskVolume("cache", false, HostPath: "scratch"));

        await new VolumesStep(Volumes).PrepareAsync(context, CancellationToken.None);

        Assert.Equal(
            [
                new Drivers.ContainerMount(host, "/etc/app", true),
                new Drivers.ContainerMount(Path.Combine(_root, "volumes", "t#data#1"), "/mnt/mesos/sandbox/data", false),
                new Drivers.ContainerMount(Path.Combine(Sandbox, "scratch"), "/mnt/mesos/sandbox/cache", false),
            ],
            context.Mounts);
        Assert.True(Directory.Exists(host));
        Assert.True(Directory.Exists(Path.Combine(_root, "volumes", "t#data#1")));
    }

    [Fact]
    public async Task PrepareAsync_ProcessTask_LinksTheVolumeIntoTheSandbox()
    {
        var context = Context(false, new TaskVolume("data", false, PersistentId: "t#data#1", SizeMiB: 10));

        await new VolumesStep(Volumes).PrepareAsync(context, CancellationToken.None);

        Assert.Equal(Path.Combine(_root, "volumes", "t#data#1"), new FileInfo(Path.Combine(Sandbox, "data")).LinkTarget);
    }

    [Fact]
    public async Task PrepareAsync_ProcessVolumeThroughALinkAFetchPlanted_IsRefusedAndCreatesNothingOutside()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_root, "outside")).FullName;
        File.CreateSymbolicLink(Path.Combine(Sandbox, "planted"), outside);
        var context = Context(false, new TaskVolume("planted/data", false, PersistentId: "t#data#1", SizeMiB: 10));

        var e = await Assert.ThrowsAsync<LaunchStepException>(() => new VolumesStep(Volumes).PrepareAsync(context, CancellationToken.None));

        Assert.Contains("'planted'", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(outside));
    }

    [Theory]
    [InlineData("../outside", "leaves the sandbox")]
    [InlineData("a/../../outside", "leaves the sandbox")]
    public async Task PrepareAsync_HostPathEscapingTheSandbox_IsRefused(string hostPath, string message)
    {
        var context = Context(true, new TaskVolume("/x", false, HostPath: hostPath));

        var e = await Assert.ThrowsAsync<LaunchStepException>(() => new VolumesStep(Volumes).PrepareAsync(context, CancellationToken.None));

        Assert.Equal(TaskState.Error, e.State);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "outside")));
    }

    [Theory]
    [InlineData("../../x")]
    [InlineData("..")]
    [InlineData("a/b")]
    public async Task PrepareAsync_PersistentIdThatIsNotOneDirectory_IsRefused(string id)
    {
        var context = Context(true, new TaskVolume("data", false, PersistentId: id, SizeMiB: 1));

        await Assert.ThrowsAsync<LaunchStepException>(() => new VolumesStep(Volumes).PrepareAsync(context, CancellationToken.None));

        Assert.Equal([Path.Combine(_root, "sandbox")], Directory.GetDirectories(_root));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("../../etc")]
    public async Task PrepareAsync_ContainerPathThatIsNoMountPoint_IsRefused(string containerPath)
    {
        var context = Context(true, new TaskVolume(containerPath, false, HostPath: Path.Combine(_root, "h")));

        await Assert.ThrowsAsync<LaunchStepException>(() => new VolumesStep(Volumes).PrepareAsync(context, CancellationToken.None));
    }

    [Fact]
    public async Task PrepareAsync_AbsoluteContainerPathWithoutImage_IsRefused()
    {
        var context = Context(false, new TaskVolume("/data", false, HostPath: Path.Combine(_root, "h")));

        var e = await Assert.ThrowsAsync<LaunchStepException>(() => new VolumesStep(Volumes).PrepareAsync(context, CancellationToken.None));

        Assert.Contains("needs a container image", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Destroy_IgnoresIdsThatAreNotOneDirectoryAndLinks()
    {
        var outside = Path.Combine(_root, "keep");
        Directory.CreateDirectory(outside);
        Directory.CreateDirectory(Path.Combine(_root, "volumes"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "volumes", "link"), outside);
        Directory.CreateDirectory(Path.Combine(_root, "volumes", "real"));

        var deleted = Volumes.Destroy(["../keep", "..", "link", "real", "missing"]);

        Assert.Equal(1, deleted);
        Assert.True(Directory.Exists(outside));
        Assert.False(Directory.Exists(Path.Combine(_root, "volumes", "real")));
    }
}
