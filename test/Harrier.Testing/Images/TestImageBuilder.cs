using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Harrier.Testing.Images;

/// <summary>
/// Builds OCI image layouts for tests, in C#, from the host's busybox-static: any number of layers (given as
/// <see cref="TestLayer"/>s, compressed with gzip, zstd or not at all), an image config, and optionally a
/// multi-platform index (linux/amd64 plus a tiny linux/arm64 stand-in). Everything is deterministic, so an image
/// built twice has the same digests, and two images built on the same busybox layer share it.
/// </summary>
public sealed class TestImageBuilder
{
    public const string BusyboxPath = "/bin/busybox";

    /// <summary>The applets linked in <c>/bin</c> by <see cref="WithBusybox"/>.</summary>
    public static readonly IReadOnlyList<string> Applets =
    [
        "sh", "ash", "echo", "cat", "sleep", "id", "ls", "httpd", "env", "wc", "head", "tail", "true", "false", "kill", "ps",
        "mkdir", "touch", "dd", "grep", "rm", "cp", "mv", "ln", "chmod", "printf", "test", "[", "pwd", "hostname", "nc", "wget",
        "uname", "date", "seq", "sed", "awk", "tr", "cut", "sort", "uniq", "stat", "df", "du", "find", "xargs", "tee", "whoami",
        "timeout", "nproc", "sha256sum", "readlink", "basename", "dirname", "expr", "yes", "mount", "free", "top",
    ];

    private readonly List<(TestLayer Layer, LayerCompression Compression)> _layers = [];
    private readonly JsonObject _config = [];
    private readonly List<string> _env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"];
    private string? _extraArchitecture;

    /// <summary>The base layer: <c>/bin/busybox</c> with its applets as symlinks, <c>/etc/passwd</c> and
    /// <c>/etc/group</c> (root, nobody), and <c>/tmp</c> (1777).</summary>
    public static TestLayer BusyboxLayer()
    {
        var layer = new TestLayer().Directory("bin/").Directory("etc/").Directory("tmp/", 0b1_111_111_111).Directory("root/", 0b111_000_000)
            .File("bin/busybox", File.ReadAllBytes(BusyboxPath), 0b111_101_101);
        foreach (var applet in Applets)
        {
            layer.Symlink("bin/" + applet, "busybox");
        }
        return layer
            .File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
            .File("etc/group", "root:x:0:\nnogroup:x:65534:\n");
    }

    public TestImageBuilder WithBusybox(LayerCompression compression = LayerCompression.Gzip) => WithLayer(BusyboxLayer(), compression);

    public TestImageBuilder WithLayer(TestLayer layer, LayerCompression compression = LayerCompression.Gzip)
    {
        _layers.Add((layer, compression));
        return this;
    }

    public TestImageBuilder WithLayer(Action<TestLayer> build, LayerCompression compression = LayerCompression.Gzip)
    {
        var layer = new TestLayer();
        build(layer);
        return WithLayer(layer, compression);
    }

    public TestImageBuilder WithEntrypoint(params string[] entrypoint) => Set("Entrypoint", new JsonArray([.. entrypoint.Select(a => (JsonNode)a)]));

    public TestImageBuilder WithCmd(params string[] cmd) => Set("Cmd", new JsonArray([.. cmd.Select(a => (JsonNode)a)]));

    /// <summary>Adds <c>NAME=value</c> (after the default PATH).</summary>
    public TestImageBuilder WithEnv(string name, string value)
    {
        _env.Add(name + "=" + value);
        return this;
    }

    public TestImageBuilder WithUser(string user) => Set("User", user);

    public TestImageBuilder WithWorkingDir(string directory) => Set("WorkingDir", directory);

    /// <summary>Exposes a port, written as in a Dockerfile's EXPOSE (<c>80/tcp</c>; <c>80</c> means tcp).</summary>
    public TestImageBuilder WithExposedPort(string port)
    {
        var ports = _config["ExposedPorts"] as JsonObject ?? [];
        ports[port.Contains('/', StringComparison.Ordinal) ? port : port + "/tcp"] = new JsonObject();
        return Set("ExposedPorts", ports);
    }

    public TestImageBuilder WithLabel(string name, string value)
    {
        var labels = _config["Labels"] as JsonObject ?? [];
        labels[name] = value;
        return Set("Labels", labels);
    }

    /// <summary>Makes the image a multi-platform index: this image as linux/amd64 plus a one-file image for the
    /// other architecture (which never runs here).</summary>
    public TestImageBuilder WithExtraPlatform(string architecture = "arm64")
    {
        _extraArchitecture = architecture;
        return this;
    }

    /// <summary>Writes the layout into <paramref name="directory"/> (created; must be empty or missing).</summary>
    public TestImageLayout Build(string directory)
    {
        var blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        var (manifest, config, layers, diffIds, bytes) = WriteImage(blobs, _layers, "amd64");
        JsonObject top = manifest;
        string? indexDigest = null;
        if (_extraArchitecture is { } other)
        {
            var (otherManifest, _, _, _, _) = WriteImage(blobs, [(new TestLayer().File("platform", other + "\n"), LayerCompression.Gzip)], other, withConfig: false);
            var index = new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = OciIndex,
                ["manifests"] = new JsonArray(Platform(manifest, "amd64"), Platform(otherManifest, other)),
            };
            top = Descriptor(OciIndex, WriteBlob(blobs, Json(index)));
            indexDigest = (string)top["digest"]!;
        }
        File.WriteAllBytes(Path.Combine(directory, "index.json"), Json(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(top.DeepClone()),
        }));
        return new TestImageLayout(directory, (string)manifest["digest"]!, config, indexDigest, layers, diffIds, bytes);
    }

    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";

    private (JsonObject Manifest, string Config, List<string> Layers, List<string> DiffIds, long Bytes) WriteImage(
        string blobs, IEnumerable<(TestLayer Layer, LayerCompression Compression)> layers, string architecture, bool withConfig = true)
    {
        var descriptors = new JsonArray();
        List<string> digests = [], diffIds = [];
        long bytes = 0;
        foreach (var (layer, compression) in layers)
        {
            var tar = layer.ToTar();
            diffIds.Add(Digest(tar));
            var blob = TestLayer.Compress(tar, compression);
            bytes += blob.Length;
            var descriptor = Descriptor(LayerMediaType(compression), WriteBlob(blobs, blob));
            digests.Add((string)descriptor["digest"]!);
            descriptors.Add(descriptor);
        }
        var runConfig = withConfig ? (JsonObject)_config.DeepClone() : [];
        runConfig["Env"] = new JsonArray([.. (withConfig ? _env : _env.Take(1)).Select(e => (JsonNode)e)]);
        var config = Descriptor("application/vnd.oci.image.config.v1+json", WriteBlob(blobs, Json(new JsonObject
        {
            ["created"] = TestLayer.FixedTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["config"] = runConfig,
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray([.. diffIds.Select(d => (JsonNode)d)]) },
        })));
        var manifest = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = OciManifest, ["config"] = config, ["layers"] = descriptors };
        return (Descriptor(OciManifest, WriteBlob(blobs, Json(manifest))), (string)config["digest"]!, digests, diffIds, bytes);
    }

    private static JsonObject Platform(JsonObject descriptor, string architecture)
    {
        var entry = (JsonObject)descriptor.DeepClone();
        entry["platform"] = new JsonObject { ["architecture"] = architecture, ["os"] = "linux" };
        return entry;
    }

    private TestImageBuilder Set(string key, JsonNode value)
    {
        _config[key] = value;
        return this;
    }

    private static string LayerMediaType(LayerCompression compression) => compression switch
    {
        LayerCompression.None => "application/vnd.oci.image.layer.v1.tar",
        LayerCompression.Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
        _ => "application/vnd.oci.image.layer.v1.tar+gzip",
    };

    private static (string Digest, long Size) WriteBlob(string blobs, byte[] content)
    {
        var digest = Digest(content);
        File.WriteAllBytes(Path.Combine(blobs, digest["sha256:".Length..]), content);
        return (digest, content.Length);
    }

    private static JsonObject Descriptor(string mediaType, (string Digest, long Size) blob) =>
        new() { ["mediaType"] = mediaType, ["digest"] = blob.Digest, ["size"] = blob.Size };

    private static byte[] Json(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
