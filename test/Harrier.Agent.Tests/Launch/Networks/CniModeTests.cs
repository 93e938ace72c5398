using Harrier.Agent.Launch.Networks;
using Harrier.Core.Apps;
using Harrier.Networking;
using Harrier.Networking.Cni;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Harrier.Agent.Tests.Launch.Networks;

/// <summary>
/// The CNI mode's bookkeeping with a scripted plugin (no root, no devices): the intent is cached before an ADD, so an
/// ADD cut short is DELeted at the next start; a failed ADD is DELeted at once; a DEL that fails keeps the record for
/// the next start; a live task keeps its attachment through a restart.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CniModeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "harrier-cnimode-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly CniConfigSet _networks;

    public CniModeTests()
    {
        var plugins = Path.Combine(_dir, "plugins");
        Directory.CreateDirectory(plugins);
        var script = Path.Combine(plugins, "scripted");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            cat > /dev/null
            echo "$CNI_COMMAND $CNI_CONTAINERID $CNI_IFNAME $CNI_NETNS" >> {{Log}}
            if [ "$CNI_COMMAND" = ADD ]; then
              [ -e {{_dir}}/hang ] && exec sleep 30
              [ -e {{_dir}}/fail ] && { echo '{"cniVersion":"1.0.0","code":11,"msg":"no addresses"}'; exit 1; }
              echo '{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"'$CNI_NETNS'"}],"ips":[{"interface":0,"address":"10.9.9.9/24"}]}'
            fi
            if [ "$CNI_COMMAND" = DEL ] && [ -e {{_dir}}/faildel ]; then echo "DEL broke" >&2; exit 1; fi
            exit 0
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _networks = new CniConfigSet([CniConfigParser.Parse("""{"cniVersion":"1.0.0","name":"net1","type":"scripted"}""", "test", false, [plugins])], []);
        Plugins = plugins;
    }

    private string Plugins { get; }

    private string Log => Path.Combine(_dir, "calls.log");

    private string CacheDir => Path.Combine(_dir, "cache");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private CniMode Mode() => new(_networks, new CniRuntime(new CniPluginInvoker(HostNamespace.Current, [Plugins], TimeSpan.FromSeconds(20))),
        new CniAttachmentCache(CacheDir), NullLogger.Instance);

    private static NetworkAttachRequest Request(string owner) => new(
        owner, "harrier-test-ns", 0, new NetworkSpec(NetworkMode.Container, "net1"),
        [new PortMapping(3141, 31005, Name: "http")], "/tmp");

    private string[] Calls() => File.Exists(Log) ? File.ReadAllLines(Log) : [];

    private string[] Cached() => Directory.Exists(CacheDir) ? Directory.GetFiles(CacheDir, "*.json") : [];

    [Fact]
    public async Task Attach_ThenRestart_LiveTaskRecoversItsAddressAndDetachDeletes()
    {
        var mode = Mode();
        Assert.True(mode.Serves(new NetworkSpec(NetworkMode.Container, "net1")));
        Assert.False(mode.Serves(new NetworkSpec(NetworkMode.Container, "other")));

        var attachment = await mode.AttachAsync(Request("task-1"), CancellationToken.None);
        Assert.Equal(["10.9.9.9"], attachment.IpAddresses);

        var restarted = Mode();
        await restarted.ReconcileAsync(new HashSet<string> { "task-1" }, CancellationToken.None);
        Assert.Equal(["10.9.9.9"], (await restarted.RecoverAsync(Request("task-1"), CancellationToken.None))!.IpAddresses);
        Assert.DoesNotContain(Calls(), c => c.StartsWith("DEL", StringComparison.Ordinal));

        await restarted.DetachAsync(Request("task-1"));
        Assert.Equal($"DEL {CniMode.ContainerId("task-1")} eth0 /run/netns/harrier-test-ns", Calls().Last());
        Assert.Empty(Cached());
        Assert.Null(await restarted.RecoverAsync(Request("task-1"), CancellationToken.None));
    }

    [Fact]
    public async Task Attach_CutShort_IntentCachedAndNextStartDeletesIt()
    {
        File.WriteAllText(Path.Combine(_dir, "hang"), "");
        using var crash = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Mode().AttachAsync(Request("task-2"), crash.Token));
        Assert.Single(Cached());

        await Mode().ReconcileAsync(new HashSet<string>(), CancellationToken.None);

        Assert.Equal($"DEL {CniMode.ContainerId("task-2")} eth0 /run/netns/harrier-test-ns", Calls().Last());
        Assert.Empty(Cached());
    }

    [Fact]
    public async Task Attach_PluginFails_ErrorNamesNetworkAndPluginAndItIsDeletedAtOnce()
    {
        File.WriteAllText(Path.Combine(_dir, "fail"), "");

        var error = await Assert.ThrowsAsync<NetworkSetupException>(() => Mode().AttachAsync(Request("task-3"), CancellationToken.None));

        Assert.Equal("CNI network 'net1': plugin 'scripted' failed ADD: code 11: no addresses", error.Message);
        Assert.StartsWith("DEL ", Calls().Last(), StringComparison.Ordinal);
        Assert.Empty(Cached());
    }

    [Fact]
    public async Task Detach_DelFails_RecordKeptUntilADelSucceeds()
    {
        var mode = Mode();
        await mode.AttachAsync(Request("task-4"), CancellationToken.None);
        File.WriteAllText(Path.Combine(_dir, "faildel"), "");

        await Assert.ThrowsAsync<NetworkSetupException>(() => mode.DetachAsync(Request("task-4")));
        Assert.Single(Cached());
        await mode.ReconcileAsync(new HashSet<string>(), CancellationToken.None);
        Assert.Single(Cached());

        File.Delete(Path.Combine(_dir, "faildel"));
        await mode.ReconcileAsync(new HashSet<string>(), CancellationToken.None);
        Assert.Empty(Cached());
    }
}
