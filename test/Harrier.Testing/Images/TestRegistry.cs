using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harrier.Testing.Images;

/// <summary>
/// A real registry for tests: Debian's <c>docker-registry</c> (distribution 2.8) on 127.0.0.1 and a free port,
/// with its own config and storage in a temporary directory, optionally behind htpasswd Basic auth. Images are
/// pushed with <c>skopeo copy</c>. Disposing stops the process (by its pid) and deletes the directory.
/// Tests check <c>Requirements.Binary("docker-registry")</c> and <c>Requirements.Binary("skopeo")</c> first.
/// </summary>
public sealed class TestRegistry : IAsyncDisposable
{
    private const string Binary = "/usr/bin/docker-registry";

    private readonly Process _process;
    private readonly StringBuilder _output;

    private TestRegistry(string directory, string address, int port, string? user, string? password, Process process, StringBuilder output)
    {
        Address = address;
        Directory = directory;
        Port = port;
        User = user;
        Password = password;
        _process = process;
        _output = output;
    }

    /// <summary>The temporary directory holding the config, the storage and (with auth) the htpasswd file.</summary>
    public string Directory { get; }

    public int Port { get; }

    /// <summary>The address it listens on (127.0.0.1 unless a test's own network needs another).</summary>
    public string Address { get; }

    /// <summary><c>ADDRESS:PORT</c>: the registry part of image references pushed here.</summary>
    public string Host => $"{Address}:{Port}";

    public Uri Url => new($"http://{Host}");

    /// <summary>The htpasswd user when the registry requires auth.</summary>
    public string? User { get; }

    public string? Password { get; }

    /// <summary>Starts a registry and waits until <c>/v2/</c> answers.</summary>
    /// <param name="user">With <paramref name="password"/>: require Basic auth for this one user.</param>
    /// <param name="address">Where it listens: loopback, or an address of a network the test made (its namespaces' bridge).</param>
    public static async Task<TestRegistry> StartAsync(string? user = null, string? password = null, string address = "127.0.0.1", CancellationToken cancellationToken = default)
    {
        var directory = Path.Combine(Path.GetTempPath(), "harrier-registry-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "storage"));
        var port = FreePort();
        var auth = "";
        if (user is not null)
        {
            var htpasswd = await RunAsync("htpasswd", ["-Bbn", user, password ?? ""], cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(directory, "htpasswd"), htpasswd, cancellationToken);
            auth = $"auth:\n  htpasswd:\n    realm: harrier-test\n    path: {directory}/htpasswd\n";
        }
        var config = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {directory}/storage
              delete:
                enabled: true
            http:
              addr: {address}:{port}
              secret: harrier-test-secret
            {auth}
            """, cancellationToken);
        var output = new StringBuilder();
        var process = new Process { StartInfo = new ProcessStartInfo(Binary, ["serve", config]) { RedirectStandardOutput = true, RedirectStandardError = true } };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new TestRegistry(directory, address, port, user, password, process, output);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            await Eventually.TrueAsync(async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"docker-registry exited ({process.ExitCode}): {registry.Output}");
                }
                using var response = await http.GetAsync(new Uri(registry.Url, "/v2/"), cancellationToken);
                return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized;
            }, TimeSpan.FromSeconds(20), $"docker-registry on {registry.Host}");
            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    /// <summary>What the registry printed (warnings and errors), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The reference of an image pushed here: <c>127.0.0.1:PORT/name:tag</c>.</summary>
    public string Reference(string nameAndTag) => $"{Host}/{nameAndTag}";

    /// <summary>Pushes the one image (or multi-platform index, with all its platforms) of an OCI layout as
    /// <paramref name="nameAndTag"/> (<c>library/busybox:latest</c>).</summary>
    public async Task PushAsync(string layoutDirectory, string nameAndTag, CancellationToken cancellationToken = default)
    {
        List<string> args = ["copy", "--quiet", "--all", "--dest-tls-verify=false", "--preserve-digests"];
        if (User is not null)
        {
            args.AddRange(["--dest-creds", $"{User}:{Password}"]);
        }
        args.AddRange([$"oci:{layoutDirectory}", $"docker://{Host}/{nameAndTag}"]);
        await RunAsync("skopeo", args, cancellationToken);
    }

    public Task PushAsync(TestImageLayout layout, string nameAndTag, CancellationToken cancellationToken = default) =>
        PushAsync(layout.Directory, nameAndTag, cancellationToken);

    /// <summary>Writes a Docker <c>config.json</c> with this registry's credentials (or the given ones) and returns its path.</summary>
    public string WriteDockerConfig(string path, string? user = null, string? password = null)
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user ?? User}:{password ?? Password}"));
        var auths = new Dictionary<string, object> { ["auths"] = new Dictionary<string, object> { [Host] = new Dictionary<string, string> { ["auth"] = auth } } };
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(auths));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(); // this process only, by its pid
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Runs a tool to completion; throws with its output when it fails. Returns its standard output.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
        }
        catch
        {
            process.Kill();
            throw;
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
        }
        return await stdout;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            if (output.Length < 64 << 10)
            {
                output.AppendLine(line);
            }
        }
    }
}
