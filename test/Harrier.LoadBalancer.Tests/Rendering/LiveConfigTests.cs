using System.Diagnostics;
using Harrier.LoadBalancer.Rendering;
using Harrier.Testing;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Rendering;

/// <summary>Every golden apps body rendered for the live balancer is a config the installed HAProxy (2.6) accepts.</summary>
public sealed class LiveConfigTests
{
    [Theory]
    [MemberData(nameof(GoldenCases.WithApps), MemberType = typeof(GoldenCases))]
    public async Task Render_LiveGoldenCase_HaproxyAcceptsTheConfig(string sub)
    {
        var missing = Requirements.Binary("haproxy");
        Assert.SkipWhen(missing is not null, missing ?? "");
        using var work = new LiveWorkDirectory();
        var golden = GoldenCases.Options(sub);
        var certs = golden.SslCerts.Select((_, i) => i == 0 ? work.Paths.DefaultCertificate : CopyCert(work, i)).ToList();
        // Label certificate paths point at marathon-lb's machine; the live test's certificate stands in for them.
        // (and mlb44's "verify required" needs a CA file, which marathon-lb's HAProxy 2.0 did not check).
        var apps = GoldenCases.Read(sub, "apps.json")
            .Replace("\"/etc/cert\"", $"\"{work.Paths.DefaultCertificate}\"", StringComparison.Ordinal)
            .Replace("\"verify required\"", $"\"verify required ca-file {work.Paths.DefaultCertificate}\"", StringComparison.Ordinal);
        var options = golden with { Live = work.Paths, SslCerts = certs };

        var result = LbRenderer.Render(apps, options);

        await File.WriteAllTextAsync(work.Paths.ConfigFile, result.Config, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(work.Paths.DomainMapFile, result.DomainMap ?? "", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(work.Paths.AppMapFile, result.AppMap ?? "", TestContext.Current.CancellationToken);
        var (exit, output) = await CheckAsync(work.Paths.ConfigFile);
        exit.ShouldBe(0, output);
    }

    private static string CopyCert(LiveWorkDirectory work, int i)
    {
        var path = Path.Combine(work.Paths.WorkDirectory, $"cert{i}.pem");
        File.Copy(work.Paths.DefaultCertificate, path);
        return path;
    }

    private static async Task<(int Exit, string Output)> CheckAsync(string config)
    {
        using var process = Process.Start(new ProcessStartInfo("haproxy", ["-c", "-f", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
