using System.Diagnostics;
using System.Text.Json.Nodes;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.LoadBalancer;

/// <summary>
/// <c>harrier lb render</c> as a user runs it: every marathon-lb golden case's <c>/v2/apps</c> body and flags (from its
/// args.json; environment overrides as environment variables) through the real binary, byte for byte against
/// marathon-lb's config and map files.
/// </summary>
public sealed class LbRenderCliTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public async Task Render_EveryGoldenCase_PrintsMarathonLbsConfigAndMapsByteForByte()
    {
        var root = SharedData.Folder("lb-fixtures/marathon-lb", out var skip);
        Assert.SkipWhen(root is null, skip ?? "");
        var cases = new[] { "config", "config-extra" }
            .SelectMany(d => Directory.GetDirectories(Path.Combine(root!, d)))
            .Where(c => File.Exists(Path.Combine(c, "apps.json")))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(cases.Count >= 50, $"expected the 50 golden cases with apps.json, found {cases.Count}");
        var failures = new List<string>();
        foreach (var dir in cases)
        {
            var output = Path.Combine(Path.GetTempPath(), "harrier-render-" + Guid.NewGuid().ToString("N")[..8]);
            try
            {
                var (code, stdout, stderr) = await RenderAsync(dir, output: null);
                var expected = await File.ReadAllTextAsync(Path.Combine(dir, "expected-haproxy.cfg"));
                if (code != 0 || stdout != expected)
                {
                    failures.Add($"{Path.GetFileName(dir)}: exit {code}, {(stdout == expected ? "same" : "different")} config; {stderr}");
                    continue;
                }
                if (!File.Exists(Path.Combine(dir, "expected-domain2backend.map")))
                {
                    continue;
                }
                (code, _, stderr) = await RenderAsync(dir, output);
                foreach (var map in new[] { "domain2backend.map", "app2backend.map" })
                {
                    var want = await File.ReadAllTextAsync(Path.Combine(dir, "expected-" + map));
                    var got = File.Exists(Path.Combine(output, map)) ? await File.ReadAllTextAsync(Path.Combine(output, map)) : "(missing)";
                    if (code != 0 || got != want)
                    {
                        failures.Add($"{Path.GetFileName(dir)}: {map} differs (exit {code}) {stderr}");
                    }
                }
            }
            finally
            {
                if (Directory.Exists(output))
                {
                    Directory.Delete(output, recursive: true);
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Render_BadAppsFileOrFlag_ClearErrorAndExitCode()
    {
        var dir = Path.Combine(Path.GetTempPath(), "harrier-render-bad-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var notApps = Path.Combine(dir, "apps.json");
            await File.WriteAllTextAsync(notApps, "{\"apps\": 5}");
            var (code, _, stderr) = await RunAsync(NoEnvironment, "lb", "render", "--apps", notApps, "--group", "external");
            Assert.Equal(65, code);
            Assert.Contains("apps", stderr, StringComparison.Ordinal);
            (code, _, stderr) = await RunAsync(NoEnvironment, "lb", "render", "--apps", Path.Combine(dir, "missing.json"), "--group", "external");
            Assert.Equal(66, code);
            (code, _, stderr) = await RunAsync(NoEnvironment, "lb", "render", "--apps", notApps);
            Assert.Equal(64, code);
            Assert.Contains("--group is required", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Lb_HaproxyBinaryMissing_ExitsWithAClearMessage()
    {
        var work = Path.Combine(Path.GetTempPath(), "harrier-lb-missing-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            string P() => LbProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var (code, _, stderr) = await RunAsync(NoEnvironment, "lb", "--server", "http://127.0.0.1:1", "--group", "external", "--work-dir", work,
                "--haproxy", "/nonexistent/haproxy", "--bind-address", "127.0.0.1", "--http-port", P(), "--https-port", P(), "--http-appid-port", P(),
                "--stats-port", P(), "--control-address", "127.0.0.1:" + P());
            Assert.Equal(1, code);
            Assert.Contains("harrier lb: HAProxy did not start: cannot run /nonexistent/haproxy", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static Task<(int Code, string Out, string Err)> RenderAsync(string dir, string? output)
    {
        var args = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "args.json")))!.AsObject();
        var command = new List<string> { "lb", "render", "--apps", Path.Combine(dir, "apps.json") };
        foreach (var group in args["groups"]!.AsArray())
        {
            command.AddRange(["--group", group!.GetValue<string>()]);
        }
        if (!args["bind_http_https"]!.GetValue<bool>())
        {
            command.Add("--dont-bind-http-https");
        }
        if (args["ssl_certs"]?.GetValue<string>() is { Length: > 0 } certs)
        {
            command.AddRange(["--ssl-certs", certs]);
        }
        foreach (var (flag, key) in new[] { ("--haproxy-map", "haproxy_map"), ("--group-https-by-vhost", "group_https_by_vhost"), ("--health-check", "health_check"), ("--strict-mode", "strict_mode") })
        {
            if (args[key]!.GetValue<bool>())
            {
                command.Add(flag);
            }
        }
        command.AddRange(["--haproxy-config", args["config_file"]!.GetValue<string>()]);
        foreach (var (host, ip) in args["dns"]?.AsObject() ?? [])
        {
            command.AddRange(["--resolve", $"{host}={ip!.GetValue<string>()}"]);
        }
        if (output is not null)
        {
            command.AddRange(["--output-dir", output]);
        }
        var env = args["env"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) ?? [];
        return RunAsync(env, [.. command]);
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo(HarrierDev.Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (name, value) in env)
        {
            psi.Environment[name] = value;
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }
}
