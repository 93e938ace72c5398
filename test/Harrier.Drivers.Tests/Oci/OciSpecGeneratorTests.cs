using System.Text.Json.Nodes;
using Harrier.Drivers.Images;
using Harrier.Drivers.Oci;
using Shouldly;
using Xunit;

namespace Harrier.Drivers.Tests.Oci;

public sealed class OciSpecGeneratorTests
{
    private static readonly ContainerAccounts Accounts = ContainerAccounts.Parse(
        "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nweb:x:33:33::/var/www:/bin/sh\n",
        "root:x:0:\nstaff:x:50:app,web\napp:x:1000:\nwww-data:x:33:\n");

    [Fact]
    public void Generate_Shell_RunsBinShAndIgnoresTheEntrypoint()
    {
        var spec = Generate(Task(shell: "echo hi"), Image(entrypoint: ["/entry"], cmd: ["default"]));

        Args(spec).ShouldBe(["/bin/sh", "-c", "echo hi"]);
    }

    [Fact]
    public void Generate_Args_FollowTheEntrypointAndReplaceCmd()
    {
        var spec = Generate(Task(argv: ["--port", "80"]), Image(entrypoint: ["/entry", "-v"], cmd: ["default"]));

        Args(spec).ShouldBe(["/entry", "-v", "--port", "80"]);
    }

    [Fact]
    public void Generate_ArgsWithoutEntrypoint_AreTheCommand()
    {
        Args(Generate(Task(argv: ["/bin/echo", "x"]), Image(cmd: ["default"]))).ShouldBe(["/bin/echo", "x"]);
    }

    [Fact]
    public void Generate_NoCommand_RunsEntrypointPlusCmd()
    {
        Args(Generate(Task(), Image(entrypoint: ["/entry"], cmd: ["a", "b"]))).ShouldBe(["/entry", "a", "b"]);
    }

    [Fact]
    public void Generate_NothingToRun_FailsTheLaunch()
    {
        var e = Should.Throw<DriverLaunchException>(() => Generate(Task(), Image()));

        e.Message.ShouldContain("the image defines no command and the app gives none");
    }

    [Fact]
    public void Generate_Env_ImageThenTaskThenEnvParameter_SandboxFixed()
    {
        var task = Task(shell: "env", env: new() { ["SHARED"] = "from-app", ["APP"] = "1", ["MESOS_SANDBOX"] = "/host/sandbox", ["P"] = "app" });
        var spec = Generate(task, Image(env: ["PATH=/image/bin", "SHARED=from-image", "IMG=1"]), ("env", "P=param"), ("env", "X=a=b"));

        Env(spec).ShouldBe(["PATH=/image/bin", "SHARED=from-app", "IMG=1", "APP=1", "MESOS_SANDBOX=/mnt/mesos/sandbox", "P=param", "X=a=b", "HOME=/root"]);
    }

    [Fact]
    public void Generate_NoPathAnywhere_GetsTheDefaultPath()
    {
        Env(Generate(Task(shell: "x"), Image())).ShouldContain("PATH=" + OciSpecGenerator.DefaultPath);
    }

    [Fact]
    public void Generate_HomeGiven_IsKept()
    {
        Env(Generate(Task(shell: "x", env: new() { ["HOME"] = "/data" }), Image(user: "app"))).ShouldContain("HOME=/data");
    }

    [Theory]
    [InlineData(null, null, null, 0u, 0u, "/root")]
    [InlineData("app", null, null, 1000u, 1000u, "/home/app")]
    [InlineData("app", "web", null, 33u, 33u, "/var/www")]
    [InlineData("app", "web", "root", 0u, 0u, "/root")]
    [InlineData("1234", null, null, 1234u, 0u, "/")]
    [InlineData(null, "1234:5678", null, 1234u, 5678u, "/")]
    [InlineData(null, null, "app:www-data", 1000u, 33u, "/home/app")]
    [InlineData(null, null, "1000", 1000u, 1000u, "/home/app")]
    public void Generate_User_ParameterOverAppOverImage(string? imageUser, string? appUser, string? paramUser, uint uid, uint gid, string home)
    {
        var parameters = paramUser is null ? [] : new[] { ("user", paramUser) };
        var spec = Generate(Task(shell: "id") with { User = appUser }, Image(user: imageUser), parameters);

        var user = spec.Config["process"]!["user"]!;
        ((uint)user["uid"]!).ShouldBe(uid);
        ((uint)user["gid"]!).ShouldBe(gid);
        spec.User.Home.ShouldBe(home);
        Env(spec).ShouldContain("HOME=" + home);
    }

    [Fact]
    public void Generate_UserInGroups_GetsThemAsAdditionalGids()
    {
        var spec = Generate(Task(shell: "id") with { User = "app" }, Image());

        spec.Config["process"]!["user"]!["additionalGids"]!.AsArray().Select(g => (uint)g!).ShouldBe([50u]);
    }

    [Theory]
    [InlineData("nobody-here", "user 'nobody-here' does not exist")]
    [InlineData("app:nogroup", "group 'nogroup' does not exist")]
    public void Generate_UnknownUserOrGroup_FailsNamingIt(string user, string message)
    {
        Should.Throw<DriverLaunchException>(() => Generate(Task(shell: "id") with { User = user }, Image())).Message.ShouldContain(message);
    }

    [Theory]
    [InlineData(null, null, true, "/mnt/mesos/sandbox")]
    [InlineData("/srv", null, true, "/mnt/mesos/sandbox")]
    [InlineData("/srv", null, false, "/srv")]
    [InlineData(null, null, false, "/mnt/mesos/sandbox")]
    [InlineData("/srv", "/work", true, "/work")]
    [InlineData("/srv", "/work", false, "/work")]
    public void Generate_Cwd_WorkdirParameterThenImageForItsOwnCommandThenSandbox(string? imageDir, string? param, bool cmd, string expected)
    {
        var parameters = param is null ? [] : new[] { ("workdir", param) };
        var task = cmd ? Task(shell: "pwd") : Task(argv: ["x"]);

        ((string)Generate(task, Image(workdir: imageDir), parameters).Config["process"]!["cwd"]!).ShouldBe(expected);
    }

    [Fact]
    public void Generate_Default_DockersCapabilitiesMaskedPathsAndNoNewPrivileges()
    {
        var spec = Generate(Task(shell: "x"), Image());

        var caps = spec.Config["process"]!["capabilities"]!;
        Strings(caps["bounding"]).ShouldBe(OciCapabilities.All.Where(OciCapabilities.Default.Contains), ignoreOrder: true);
        Strings(caps["effective"]).Count.ShouldBe(14);
        Strings(caps["permitted"]).Count.ShouldBe(14);
        Strings(caps["inheritable"]).ShouldBeEmpty();
        Strings(caps["ambient"]).ShouldBeEmpty();
        ((bool)spec.Config["process"]!["noNewPrivileges"]!).ShouldBeTrue();
        Strings(spec.Config["linux"]!["maskedPaths"]).ShouldContain("/proc/kcore");
        Strings(spec.Config["linux"]!["readonlyPaths"]).ShouldContain("/proc/sys");
        Mount(spec, "/sys")["options"]!.AsArray().Select(o => (string)o!).ShouldContain("ro");
        var devices = spec.Config["linux"]!["resources"]!["devices"]!.AsArray();
        ((bool)devices[0]!["allow"]!).ShouldBeFalse();
        devices.ShouldContain(d => (long?)d!["major"] == 1 && (long?)d["minor"] == 3);
    }

    [Fact]
    public void Generate_CapAddAndDrop_WithOrWithoutPrefix()
    {
        var caps = Caps(Generate(Task(shell: "x"), Image(), ("cap-add", "net_admin"), ("cap-add", "CAP_SYS_TIME"), ("cap-drop", "chown"), ("cap-drop", "CAP_NET_RAW")));

        caps.ShouldContain("CAP_NET_ADMIN");
        caps.ShouldContain("CAP_SYS_TIME");
        caps.ShouldNotContain("CAP_CHOWN");
        caps.ShouldNotContain("CAP_NET_RAW");
        caps.ShouldContain("CAP_KILL");
    }

    [Fact]
    public void Generate_CapAddAll_GrantsEverythingButDropped()
    {
        var caps = Caps(Generate(Task(shell: "x"), Image(), ("cap-add", "ALL"), ("cap-drop", "sys_admin")));

        caps.Count.ShouldBe(OciCapabilities.All.Count - 1);
        caps.ShouldNotContain("CAP_SYS_ADMIN");
    }

    [Fact]
    public void Generate_CapDropAll_KeepsOnlyAdded()
    {
        Caps(Generate(Task(shell: "x"), Image(), ("cap-drop", "all"), ("cap-add", "NET_BIND_SERVICE"))).ShouldBe(["CAP_NET_BIND_SERVICE"]);
    }

    [Fact]
    public void Generate_UnknownCapability_FailsNamingIt()
    {
        Should.Throw<DriverLaunchException>(() => Generate(Task(shell: "x"), Image(), ("cap-add", "FLY"))).Message.ShouldContain("'FLY'");
    }

    [Fact]
    public void Generate_Privileged_AllCapabilitiesNoMasksDevicesAllowed()
    {
        var spec = Generate(Task(shell: "x"), Image(), privileged: true);

        Caps(spec).Count.ShouldBe(OciCapabilities.All.Count);
        ((bool)spec.Config["process"]!["noNewPrivileges"]!).ShouldBeFalse();
        spec.Config["linux"]!["maskedPaths"].ShouldBeNull();
        spec.Config["linux"]!["readonlyPaths"].ShouldBeNull();
        Strings(Mount(spec, "/sys")["options"]).ShouldContain("rw");
        var devices = spec.Config["linux"]!["resources"]!["devices"]!.AsArray();
        devices.Count.ShouldBe(1);
        ((bool)devices[0]!["allow"]!).ShouldBeTrue();
    }

    [Fact]
    public void Generate_ReadOnly_MakesRootReadOnly()
    {
        ((bool)Generate(Task(shell: "x"), Image()).Config["root"]!["readonly"]!).ShouldBeFalse();
        ((bool)Generate(Task(shell: "x"), Image(), ("read-only", "true")).Config["root"]!["readonly"]!).ShouldBeTrue();
    }

    [Fact]
    public void Generate_Tmpfs_MountsWithDockerDefaultsThenOptions()
    {
        var spec = Generate(Task(shell: "x"), Image(), ("tmpfs", "/run:size=1m,mode=1777"), ("tmpfs", "/cache"));

        Strings(Mount(spec, "/run")["options"]).ShouldBe(["nosuid", "nodev", "noexec", "size=1m", "mode=1777"]);
        ((string)Mount(spec, "/cache")["type"]!).ShouldBe("tmpfs");
    }

    [Fact]
    public void Generate_Ulimit_BecomesRlimits()
    {
        var rlimits = Generate(Task(shell: "x"), Image(), ("ulimit", "nofile=1024:2048"), ("ulimit", "core=0"), ("ulimit", "memlock=-1")).Config["process"]!["rlimits"]!.AsArray();

        rlimits.Select(r => ((string)r!["type"]!, (ulong)r["soft"]!, (ulong)r["hard"]!)).ShouldBe(
            [("RLIMIT_NOFILE", 1024ul, 2048ul), ("RLIMIT_CORE", 0ul, 0ul), ("RLIMIT_MEMLOCK", ulong.MaxValue, ulong.MaxValue)]);
    }

    [Theory]
    [InlineData(null, "size=67108864")]
    [InlineData("128m", "size=134217728")]
    [InlineData("1g", "size=1073741824")]
    [InlineData("512k", "size=524288")]
    [InlineData("1048576", "size=1048576")]
    public void Generate_ShmSize_SizesDevShm(string? value, string expected)
    {
        var parameters = value is null ? [] : new[] { ("shm-size", value) };

        Strings(Mount(Generate(Task(shell: "x"), Image(), parameters), "/dev/shm")["options"]).ShouldContain(expected);
    }

    [Fact]
    public void Generate_Hostname_ParameterOverContainerOverHost()
    {
        ((string)Generate(Task(shell: "x"), Image()).Config["hostname"]!).ShouldBe("agent-host");
        ((string)Generate(Task(shell: "x"), Image(), container: c => c with { Hostname = "box" }).Config["hostname"]!).ShouldBe("box");
        ((string)Generate(Task(shell: "x"), Image(), [("hostname", "param")], container: c => c with { Hostname = "box" }).Config["hostname"]!).ShouldBe("param");
    }

    [Theory]
    [InlineData("publish", "8080:80")]
    [InlineData("volume", "/a:/b")]
    public void Generate_UnknownParameter_FailsNamingIt(string key, string value)
    {
        Should.Throw<DriverLaunchException>(() => Generate(Task(shell: "x"), Image(), (key, value))).Message.ShouldContain($"'{key}'");
    }

    [Theory]
    [InlineData("ulimit", "nofile")]
    [InlineData("ulimit", "bogus=1")]
    [InlineData("ulimit", "nofile=10:5")]
    [InlineData("shm-size", "lots")]
    [InlineData("env", "NOVALUE")]
    [InlineData("read-only", "maybe")]
    [InlineData("tmpfs", "relative")]
    public void Generate_BadParameterValue_FailsNamingIt(string key, string value)
    {
        Should.Throw<DriverLaunchException>(() => Generate(Task(shell: "x"), Image(), (key, value))).Message.ShouldContain(key);
    }

    [Fact]
    public void Supported_ListsEveryParsedKey()
    {
        OciParameters.Supported.ShouldBe(["env", "label", "user", "workdir", "cap-add", "cap-drop", "read-only", "tmpfs", "ulimit", "shm-size", "hostname", "name"], ignoreOrder: true);
    }

    [Fact]
    public void Generate_Labels_AreKeptAsAnnotations()
    {
        ((string)Generate(Task(shell: "x"), Image(), ("label", "MESOS_TASK_ID=t1")).Config["annotations"]!["MESOS_TASK_ID"]!).ShouldBe("t1");
    }

    [Fact]
    public void Generate_NetworkNamespace_HostWhenNullElseJoinsThePath()
    {
        Namespaces(Generate(Task(shell: "x"), Image())).ShouldBe(["pid", "ipc", "uts", "mount"]);
        var spec = Generate(Task(shell: "x"), Image(), container: c => c with { NetworkNamespace = "/var/run/netns/t1" });
        var network = spec.Config["linux"]!["namespaces"]!.AsArray().Single(n => (string)n!["type"]! == "network")!;
        ((string)network["path"]!).ShouldBe("/var/run/netns/t1");
    }

    [Fact]
    public void Generate_Mounts_SandboxRwAndBindsWithTheirMode()
    {
        var spec = Generate(Task(shell: "x"), Image(), container: c => c with { Mounts = [new("/host/ro", "/data/ro", true), new("/host/rw", "/data/rw", false)] });

        ((string)Mount(spec, "/mnt/mesos/sandbox")["source"]!).ShouldBe("/sandboxes/t1");
        Strings(Mount(spec, "/mnt/mesos/sandbox")["options"]).ShouldBe(["rbind", "rw"]);
        Strings(Mount(spec, "/data/ro")["options"]).ShouldBe(["rbind", "ro"]);
        Strings(Mount(spec, "/data/rw")["options"]).ShouldBe(["rbind", "rw"]);
        ((string)Mount(spec, "/etc/hosts")["source"]!).ShouldBe("/bundle/etc/hosts");
        foreach (var standard in new[] { "/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup" })
        {
            Mount(spec, standard).ShouldNotBeNull();
        }
    }

    [Fact]
    public void Generate_PidsLimitAndCgroup_FromTaskElseDefault()
    {
        var spec = Generate(Task(shell: "x"), Image());
        ((long)spec.Config["linux"]!["resources"]!["pids"]!["limit"]!).ShouldBe(4096);
        ((string)spec.Config["linux"]!["cgroupsPath"]!).ShouldBe("/harrier/t1/ctr");
        spec.Config["linux"]!["resources"]!["memory"].ShouldBeNull();
        ((long)Generate(Task(shell: "x"), Image(), container: c => c with { PidsLimit = 10 }).Config["linux"]!["resources"]!["pids"]!["limit"]!).ShouldBe(10);
    }

    private static OciSpec Generate(DriverTaskSpec task, ImageConfig image, params (string Key, string Value)[] parameters) =>
        Generate(task, image, parameters, null);

    private static OciSpec Generate(DriverTaskSpec task, ImageConfig image, (string Key, string Value)[]? parameters = null, Func<ContainerTaskSpec, ContainerTaskSpec>? container = null, bool privileged = false)
    {
        var c = new ContainerTaskSpec
        {
            Image = new PulledImage("test:1", "sha256:m", "sha256:c", image, ["/layers/1"], 1),
            Privileged = privileged,
            Parameters = [.. (parameters ?? []).Select(p => KeyValuePair.Create(p.Key, p.Value))],
        };
        c = container?.Invoke(c) ?? c;
        var etc = new Dictionary<string, string> { ["/etc/hosts"] = "/bundle/etc/hosts" };
        return OciSpecGenerator.Generate(task with { Container = c }, c, new OciSpecContext("/bundle/rootfs", "/harrier/t1/ctr", "agent-host", Accounts, 4096, etc));
    }

    private static DriverTaskSpec Task(string? shell = null, IReadOnlyList<string>? argv = null, Dictionary<string, string>? env = null) => new()
    {
        TaskId = "t1",
        SandboxDirectory = "/sandboxes/t1",
        StateDirectory = "/state/t1",
        Shell = shell,
        Argv = argv ?? [],
        Environment = env ?? [],
    };

    private static ImageConfig Image(string[]? entrypoint = null, string[]? cmd = null, string[]? env = null, string? user = null, string? workdir = null) => new()
    {
        Entrypoint = entrypoint ?? [],
        Cmd = cmd ?? [],
        Env = env ?? [],
        User = user,
        WorkingDir = workdir,
    };

    private static List<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(n => (string)n!)];

    private static List<string> Args(OciSpec spec) => Strings(spec.Config["process"]!["args"]);

    private static List<string> Env(OciSpec spec) => Strings(spec.Config["process"]!["env"]);

    private static List<string> Caps(OciSpec spec) => Strings(spec.Config["process"]!["capabilities"]!["bounding"]);

    private static List<string> Namespaces(OciSpec spec) => [.. spec.Config["linux"]!["namespaces"]!.AsArray().Select(n => (string)n!["type"]!)];

    private static JsonObject Mount(OciSpec spec, string destination) =>
        spec.Config["mounts"]!.AsArray().Single(m => (string)m!["destination"]! == destination)!.AsObject();
}
