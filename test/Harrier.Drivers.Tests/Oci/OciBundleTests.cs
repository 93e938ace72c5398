using Harrier.Drivers.Oci;
using Harrier.Linux;
using Harrier.Testing.Oci;
using Shouldly;
using Xunit;

namespace Harrier.Drivers.Tests.Oci;

public sealed class OciBundleTests : IDisposable
{
    private readonly TestSandbox _sandbox = new();

    [Fact]
    public void MountRootfs_ThirtyLayersWithLongPaths_ShowsAllTopFirst()
    {
        OciTestHost.Require();
        var layers = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            // ~170 characters each: 30 of them overflow overlayfs's one-page option string.
            var dir = Directory.CreateDirectory(Path.Combine(_sandbox.Root, "layers", $"{i:00}-" + new string('x', 120))).FullName;
            File.WriteAllText(Path.Combine(dir, $"l{i}"), i.ToString());
            File.WriteAllText(Path.Combine(dir, "shared"), i.ToString());
            layers.Add(dir);
        }
        var bundle = new OciBundle(Path.Combine(_sandbox.Root, "bundles"), "many");

        bundle.MountRootfs(layers);
        try
        {
            string.Join(':', layers).Length.ShouldBeGreaterThan(4096);
            File.ReadAllText(Path.Combine(bundle.Rootfs, "shared")).ShouldBe("29");
            for (var i = 0; i < 30; i++)
            {
                File.Exists(Path.Combine(bundle.Rootfs, $"l{i}")).ShouldBeTrue();
            }
            File.WriteAllText(Path.Combine(bundle.Rootfs, "new"), "upper");
        }
        finally
        {
            bundle.Remove();
        }
        Mounts.Under(_sandbox.Root).ShouldBeEmpty();
        Directory.Exists(bundle.Directory).ShouldBeFalse();
        File.Exists(Path.Combine(layers[^1], "new")).ShouldBeFalse();
    }

    [Fact]
    public void ReadText_BusyboxImage_TopLayerWinsAndWhiteoutsHide()
    {
        var image = TestRootfs.Busybox(Path.Combine(_sandbox.Root, "image"));

        LayerFiles.ReadText(image.LayerDirectories, "/etc/motd").ShouldBe("layer2\n");
        LayerFiles.ReadText(image.LayerDirectories, "/etc/passwd")!.ShouldContain("app:x:1000:1000");
        LayerFiles.ReadText(image.LayerDirectories, "/etc/nothing").ShouldBeNull();
        if (Harrier.Testing.Requirements.IsRoot)
        {
            LayerFiles.ReadText(image.LayerDirectories, "/etc/removed").ShouldBeNull();
        }
    }

    [Fact]
    public void ReadText_OciWhiteoutsOpaqueDirsAndSymlinks_AreHonoured()
    {
        var lower = Directory.CreateDirectory(Path.Combine(_sandbox.Root, "lower", "etc")).Parent!.FullName;
        var upper = Directory.CreateDirectory(Path.Combine(_sandbox.Root, "upper", "etc")).Parent!.FullName;
        File.WriteAllText(Path.Combine(lower, "etc", "passwd"), "lower");
        File.WriteAllText(Path.Combine(lower, "etc", "group"), "lower");
        File.WriteAllText(Path.Combine(lower, "etc", "hosts"), "lower");
        File.WriteAllText(Path.Combine(upper, "etc", ".wh.passwd"), "");
        File.CreateSymbolicLink(Path.Combine(upper, "etc", "group"), "/etc/group");
        IReadOnlyList<string> layers = [lower, upper];

        LayerFiles.ReadText(layers, "/etc/passwd").ShouldBeNull("an OCI whiteout deletes it");
        LayerFiles.ReadText(layers, "/etc/group").ShouldBeNull("a symlink is never followed");
        LayerFiles.ReadText(layers, "/etc/hosts").ShouldBe("lower");
        File.WriteAllText(Path.Combine(upper, "etc", ".wh..wh..opq"), "");
        LayerFiles.ReadText(layers, "/etc/hosts").ShouldBeNull("an opaque directory hides the lower layers");
        LayerFiles.ReadText(layers, "/etc/../../x").ShouldBeNull();
    }

    public void Dispose()
    {
        foreach (var mount in Mounts.Under(_sandbox.Root))
        {
            Mounts.Unmount(mount);
        }
        _sandbox.Dispose();
    }
}
