using System.Diagnostics;
using Harrier.Drivers.Images;

namespace Harrier.Testing.Oci;

/// <summary>
/// A tiny image as unpacked layer directories, for container tests without a registry. Layer 1 holds the static
/// busybox with applet symlinks, <c>/etc/passwd</c> and <c>/etc/group</c> (root, <c>app</c> 1000:1000 in group
/// <c>staff</c> 50), <c>/etc/motd</c> ("layer1") and <c>/etc/removed</c>. Layer 2 overrides <c>/etc/motd</c>
/// ("layer2"), adds <c>/only-in-image</c> and deletes <c>/etc/removed</c> with an overlayfs whiteout (a 0:0
/// character device; only when root, as mknod needs it).
/// </summary>
public static class TestRootfs
{
    public const string BusyboxBinary = "/bin/busybox";

    private static readonly string[] Applets =
    [
        "sh", "echo", "cat", "sleep", "id", "ls", "env", "pwd", "hostname", "head", "tail", "dd", "touch", "printf",
        "grep", "wc", "mkdir", "rm", "test", "true", "false", "kill", "ps", "whoami", "stat", "cut", "tr",
    ];

    /// <summary>Builds the layers under <paramref name="directory"/> (created) and returns them as a pulled image.</summary>
    public static PulledImage Busybox(string directory, ImageConfig? config = null)
    {
        var layer1 = Path.Combine(directory, "layer1");
        var layer2 = Path.Combine(directory, "layer2");
        Directory.CreateDirectory(Path.Combine(layer1, "bin"));
        Directory.CreateDirectory(Path.Combine(layer1, "etc"));
        Directory.CreateDirectory(Path.Combine(layer1, "tmp"));
        Directory.CreateDirectory(Path.Combine(layer1, "home", "app"));
        Directory.CreateDirectory(Path.Combine(layer2, "etc"));
        File.Copy(BusyboxBinary, Path.Combine(layer1, "bin", "busybox"), overwrite: true);
        foreach (var applet in Applets)
        {
            var link = Path.Combine(layer1, "bin", applet);
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, "busybox");
            }
        }
        File.WriteAllText(Path.Combine(layer1, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n");
        File.WriteAllText(Path.Combine(layer1, "etc", "group"), "root:x:0:\nstaff:x:50:app\napp:x:1000:\n");
        File.WriteAllText(Path.Combine(layer1, "etc", "motd"), "layer1\n");
        File.WriteAllText(Path.Combine(layer1, "etc", "removed"), "you should not see me\n");
        File.WriteAllText(Path.Combine(layer2, "etc", "motd"), "layer2\n");
        File.WriteAllText(Path.Combine(layer2, "only-in-image"), "from the image\n");
        if (Requirements.IsRoot && !File.Exists(Path.Combine(layer2, "etc", "removed")))
        {
            using var mknod = Process.Start("mknod", [Path.Combine(layer2, "etc", "removed"), "c", "0", "0"]);
            mknod.WaitForExit();
        }
        config ??= new ImageConfig
        {
            Cmd = ["/bin/sh"],
            Env = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "IMAGE_VAR=image", "SHARED=from-image"],
            WorkingDir = "/",
        };
        return new PulledImage("harrier.test/busybox:latest", "sha256:test", "sha256:test-config", config, [layer1, layer2], new FileInfo(BusyboxBinary).Length);
    }
}
