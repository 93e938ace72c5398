using System.Formats.Tar;
using System.Net;
using System.Text.Json.Nodes;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Security;

/// <summary>
/// Attacks on the task user as a boundary (issue 14, item 6), each against a real root <c>harrier dev</c>: a task
/// (or whoever deploys it) must not reach, through the fetcher, archive extraction, <c>destPath</c>, the logs API or a
/// COMMAND check, anything its user cannot; tasks without <c>user</c> do not run as root; <c>--allowed-users</c>
/// holds at the API.
/// </summary>
public sealed class TaskUserAttackTests : IDisposable
{
    private const uint Nobody = 65534;

    /// <summary>Files the attacks fetch (world-readable, as a task user could read them) and the victim directory.</summary>
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "harrier-attack-" + Guid.NewGuid().ToString("N")[..10]);

    public TaskUserAttackTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "outside"));
        File.SetUnixFileMode(_dir, (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(_dir, "outside", "victim"), "original\n");
    }

    [Fact]
    public async Task Fetch_RootOnlyFileAsTheDefaultUser_FailsTheTaskAndCopiesNothing()
    {
        SkipUnlessRoot();
        await using var dev = await HarrierDev.StartAsync();

        await DeployAsync(dev, """{"id":"/shadow","cmd":"sleep 3600","cpus":0.1,"mem":16,"fetch":[{"uri":"file:///etc/shadow"}]}""");

        var failure = await LastFailureAsync(dev, "/shadow");
        Assert.Equal("TASK_FAILED", failure["state"]!.GetValue<string>());
        Assert.Contains("/etc/shadow", failure["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Permission denied", failure["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(SandboxFiles(dev, "shadow"));
    }

    [Fact]
    public async Task Extract_ArchiveThroughALinkAnEarlierArchivePlanted_CannotWriteOutsideTheSandbox()
    {
        SkipUnlessRoot();
        var link = WriteTar("link.tar", w => w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "escape") { LinkName = Path.Combine(_dir, "outside") }));
        var through = WriteTar("through.tar", w => AddFile(w, "escape/victim", "pwned\n"));
        await using var dev = await HarrierDev.StartAsync();

        await DeployAsync(dev, $$"""{"id":"/tar","cmd":"sleep 3600","cpus":0.1,"mem":16,"fetch":[{"uri":"file://{{link}}"},{"uri":"file://{{through}}"}]}""");

        var failure = await LastFailureAsync(dev, "/tar");
        Assert.Contains("escape", failure["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("original\n", await File.ReadAllTextAsync(Path.Combine(_dir, "outside", "victim"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Fetch_DestPathThroughAPlantedLink_IsRefusedAndWritesNothingOutside()
    {
        SkipUnlessRoot();
        var link = WriteTar("link.tar", w => w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "escape") { LinkName = Path.Combine(_dir, "outside") }));
        var payload = Path.Combine(_dir, "payload.txt");
        await File.WriteAllTextAsync(payload, "pwned\n", TestContext.Current.CancellationToken);
        await using var dev = await HarrierDev.StartAsync();

        await DeployAsync(dev, $$"""{"id":"/dest","cmd":"sleep 3600","cpus":0.1,"mem":16,"fetch":[{"uri":"file://{{link}}"},{"uri":"file://{{payload}}","destPath":"escape/planted"}]}""");

        var failure = await LastFailureAsync(dev, "/dest");
        Assert.Contains("escape", failure["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "outside", "planted")));
    }

    [Fact]
    public async Task Logs_OfATaskWhoseStderrIsALinkToGshadow_AreRefusedWithoutItsContent()
    {
        SkipUnlessRoot();
        await using var dev = await HarrierDev.StartAsync();
        await DeployAsync(dev, """{"id":"/peek","cmd":"rm -f stderr && ln -s /etc/gshadow stderr && sleep 3600","cpus":0.1,"mem":16}""");
        var taskId = (await dev.WaitForRunningAsync("/peek", 1))[0]!["id"]!.GetValue<string>();
        var stderr = Path.Combine(dev.DataDir, "agent", "sandboxes", taskId, "stderr");
        await Eventually.TrueAsync(() => new FileInfo(stderr).LinkTarget is not null, TimeSpan.FromSeconds(15), "the task to replace its stderr with a link");

        var response = await dev.Http.GetAsync($"/v2/apps/peek/tasks/{taskId}/logs?stream=stderr", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandHealthCheck_OfANonRootTask_RunsAsTheTaskUser()
    {
        SkipUnlessRoot();
        await using var dev = await HarrierDev.StartAsync();
        await DeployAsync(dev, """
            {"id":"/checked","cmd":"sleep 3600","user":"nobody","cpus":0.1,"mem":16,
             "healthChecks":[{"protocol":"COMMAND","command":{"value":"id -u > check-uid"},"intervalSeconds":1,"gracePeriodSeconds":30}]}
            """);
        var taskId = (await dev.WaitForRunningAsync("/checked", 1))[0]!["id"]!.GetValue<string>();
        var written = Path.Combine(dev.DataDir, "agent", "sandboxes", taskId, "check-uid");

        var uid = await Eventually.WaitAsync(async () => File.Exists(written) && (await File.ReadAllTextAsync(written)).Trim() is { Length: > 0 } text ? text : null,
            TimeSpan.FromSeconds(20), "the check to write its uid");

        Assert.Equal(Nobody.ToString(System.Globalization.CultureInfo.InvariantCulture), uid);
    }

    [Fact]
    public async Task Task_WithoutUser_RunsAsNobody()
    {
        SkipUnlessRoot();
        await using var dev = await HarrierDev.StartAsync();
        await DeployAsync(dev, """{"id":"/anon","cmd":"sleep 3600","cpus":0.1,"mem":16}""");
        await dev.WaitForRunningAsync("/anon", 1);

        // The launcher (harrier's own /bin/sh wrapper) stays root to record the exit status; everything it runs does not.
        var tasks = await Eventually.WaitAsync(() => Task.FromResult<List<int>?>(TaskPids(dev, "/anon") is { Count: > 0 } p ? p : null), TimeSpan.FromSeconds(10), "the task's processes");

        Assert.All(tasks, pid => Assert.Contains($"Uid:\t{Nobody}\t", File.ReadAllText($"/proc/{pid}/status"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_WithAUserOutsideAllowedUsers_Is422OnUser()
    {
        await using var dev = await HarrierDev.StartServerAsync("--allowed-users", "nobody,www-data");

        var (status, body, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/root-app","cmd":"id","user":"root","cpus":0.1,"mem":16}""");
        var (allowed, _, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/nobody-app","cmd":"id","user":"nobody","cpus":0.1,"mem":16}""");
        var (defaulted, _, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/default-app","cmd":"id","cpus":0.1,"mem":16}""");

        Assert.Equal((HttpStatusCode)422, status);
        var detail = Assert.Single(body!["details"]!.AsArray());
        Assert.Equal("/user", detail!["path"]!.GetValue<string>());
        Assert.Contains("root", detail["errors"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, allowed);
        Assert.Equal(HttpStatusCode.Created, defaulted);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void SkipUnlessRoot() => Assert.SkipWhen(Requirements.Root() is not null, Requirements.Root() ?? "");

    private static async Task DeployAsync(HarrierDev dev, string json)
    {
        var (status, body, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps", json);
        Assert.True(status == HttpStatusCode.Created, $"POST /v2/apps -> {(int)status}: {body?.ToJsonString()}");
    }

    private static async Task<JsonNode> LastFailureAsync(HarrierDev dev, string appId)
    {
        try
        {
            return await Eventually.WaitAsync(async () =>
                (await dev.GetJsonAsync($"/v2/apps{appId}?embed=app.lastTaskFailure"))["app"]!["lastTaskFailure"], TimeSpan.FromSeconds(30), $"a task failure of {appId}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; tasks: {(await dev.GetJsonAsync($"/v2/apps{appId}/tasks")).ToJsonString()}", e);
        }
    }

    /// <summary>Files named <paramref name="name"/> in any sandbox of the agent.</summary>
    private static List<string> SandboxFiles(HarrierDev dev, string name)
    {
        var sandboxes = Path.Combine(dev.DataDir, "agent", "sandboxes");
        return Directory.Exists(sandboxes) ? [.. Directory.EnumerateFiles(sandboxes, name, SearchOption.AllDirectories)] : [];
    }

    /// <summary>The app's processes but the launcher.</summary>
    private static List<int> TaskPids(HarrierDev dev, string appId) =>
        [.. dev.TaskProcesses().Where(p => p.AppId == appId).Select(p => p.Pid).Where(pid =>
        {
            try
            {
                return !File.ReadAllText($"/proc/{pid}/cmdline").Contains("harrier-launcher", StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false;
            }
        })];

    private string WriteTar(string name, Action<TarWriter> entries)
    {
        var path = Path.Combine(_dir, name);
        using (var file = File.Create(path))
        using (var writer = new TarWriter(file, TarEntryFormat.Pax))
        {
            entries(writer);
        }
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        return path;
    }

    private static void AddFile(TarWriter writer, string name, string content) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
            Mode = (UnixFileMode)0b110_100_100,
        });
}
