using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Security;

/// <summary>
/// Authentication with the real binary: a server on a non-loopback address refuses to start without it, and with an
/// ACL file the API and the CLI (tokens and passwords made by <c>harrier acl</c>) honour each principal's paths.
/// </summary>
public sealed class AuthTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(string stdin, params string[] args)
    {
        var psi = new ProcessStartInfo(HarrierDev.Binary) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill();
            throw;
        }
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Server_NonLoopbackWithoutAuth_RefusesInOneLine_UnlessInsecure()
    {
        var dataDir = Directory.CreateTempSubdirectory("harrier-e2e-auth-").FullName;
        try
        {
            var port = HarrierDev.FreePort().ToString(CultureInfo.InvariantCulture);
            var refused = await RunAsync("", "server", "--http-address", "0.0.0.0", "--http-port", port, "--data-dir", dataDir);
            Assert.Equal(64, refused.Code);
            var line = Assert.Single(refused.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("refusing to serve the API on 0.0.0.0 without authentication", line, StringComparison.Ordinal);
            Assert.Contains("--insecure", line, StringComparison.Ordinal);

            // With credentials it starts (and answers only with them); talk to it over loopback only.
            await using var server = await HarrierDev.StartServerAsync("--http-address", "127.0.0.1", "--http-credentials", "ops:s3cret");
            Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetAsync("/v2/apps")).StatusCode);
            server.Http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:s3cret")));
            Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/v2/apps")).StatusCode);
            Assert.DoesNotContain("authentication is off", server.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, true);
        }
    }

    [Fact]
    public async Task Dev_OnLoopback_StaysOpen_AndSaysHowToTurnAuthOn()
    {
        await using var dev = await HarrierDev.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await dev.Http.GetAsync("/v2/apps")).StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(dev.Output.Contains("authentication is off", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the hint");
        Assert.Contains("--http-credentials USER:PASS or --acl-file FILE", dev.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AclFile_ApiAndCli_HonourEachPrincipalsPaths()
    {
        var hash = await RunAsync("alice-password\n", "acl", "hash-password");
        Assert.True(hash.Code == 0, hash.Err);
        var adminToken = await RunAsync("", "acl", "new-token");
        var devToken = await RunAsync("", "acl", "new-token");
        static (string Token, string Hash) Parse(string output)
        {
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return (lines[0]["token: ".Length..].Trim(), lines[1]["hash: ".Length..].Trim());
        }
        var (admin, adminHash) = Parse(adminToken.Out);
        var (dev, devHash) = Parse(devToken.Out);
        var aclFile = Path.Combine(Path.GetTempPath(), $"harrier-acl-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(aclFile, $$"""
            {
              "principals": {
                "ops":   { "token": "{{adminHash}}", "grants": { "/*": "admin" } },
                "team":  { "token": "{{devHash}}", "grants": { "/dev/*": "write" } },
                "alice": { "password": "{{hash.Out.Trim()}}", "grants": { "/prod/*": "read" } }
              }
            }
            """);
        try
        {
            await using var harrier = await HarrierDev.StartAsync("--acl-file", aclFile);
            Assert.Equal(HttpStatusCode.Unauthorized, (await harrier.Http.GetAsync("/v2/apps")).StatusCode);
            harrier.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            foreach (var id in new[] { "/dev/web", "/prod/web" })
            {
                Assert.Equal(HttpStatusCode.Created, (await harrier.SendAsync(HttpMethod.Post, "/v2/apps", $$"""{"id":"{{id}}","cmd":"echo log-of-{{id}}; sleep 600","cpus":0.01,"mem":16}""")).Status);
            }
            await harrier.WaitForRunningAsync("/dev/web", 1);
            await harrier.WaitForRunningAsync("/prod/web", 1);

            var anonymous = await harrier.RunCliAsync("app", "list");
            Assert.Equal(1, anonymous.Code);
            Assert.Contains("Invalid username or password.", anonymous.Err, StringComparison.Ordinal);

            var team = await harrier.RunCliAsync(new Dictionary<string, string> { ["HARRIER_TOKEN"] = dev }, "app", "list", "--json");
            Assert.True(team.Code == 0, team.Err);
            Assert.Equal(["/dev/web"], JsonNode.Parse(team.Out)!["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));

            var alice = await harrier.RunCliAsync("--user", "alice:alice-password", "app", "list", "--json");
            Assert.True(alice.Code == 0, alice.Err);
            Assert.Equal(["/prod/web"], JsonNode.Parse(alice.Out)!["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
            var aliceScale = await harrier.RunCliAsync(new Dictionary<string, string> { ["HARRIER_USER"] = "alice", ["HARRIER_PASSWORD"] = "alice-password" }, "app", "scale", "/prod/web", "3");
            Assert.Equal(1, aliceScale.Code);
            Assert.Contains("Not Authorized to perform this action!", aliceScale.Err, StringComparison.Ordinal);

            var prodTask = (await harrier.GetJsonAsync("/v2/apps/prod/web/tasks"))["tasks"]![0]!["id"]!.GetValue<string>();
            var teamLogs = await harrier.RunCliAsync("--token", dev, "logs", prodTask);
            Assert.NotEqual(0, teamLogs.Code);
            Assert.DoesNotContain("log-of-/prod/web", teamLogs.Out, StringComparison.Ordinal);
            await Eventually.TrueAsync(async () =>
            {
                var aliceLogs = await harrier.RunCliAsync("--user", "alice:alice-password", "logs", prodTask);
                return aliceLogs.Code == 0 && aliceLogs.Out.Contains("log-of-/prod/web", StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(20), "alice reads /prod/web's logs");

            var teamScale = await harrier.RunCliAsync("--token", dev, "app", "scale", "/dev/web", "2");
            Assert.True(teamScale.Code == 0, teamScale.Err);
            await harrier.WaitForRunningAsync("/dev/web", 2);
            Assert.Equal(1, (await harrier.GetJsonAsync("/v2/apps/prod/web"))["app"]!["instances"]!.GetValue<int>());
        }
        finally
        {
            File.Delete(aclFile);
        }
    }
}
