using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Harrier.Core.Apps;
using Harrier.Core.Instances;
using Harrier.Protocol;
using Shouldly;
using Xunit;

namespace Harrier.Agent.Tests;

public sealed class FetchTests : IAsyncDisposable
{
    private readonly AgentTestHarness _h = new();
    private readonly LoopbackHttpServer _http = new();
    private readonly string _files = Path.Combine(Path.GetTempPath(), "harrier-fetch-" + Guid.NewGuid().ToString("N")[..10]);

    public FetchTests() => Directory.CreateDirectory(_files);

    [Fact]
    public async Task Fetch_FileUriExecutable_IsCopiedAndRunnable()
    {
        var script = Path.Combine(_files, "run.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho fetched-and-run\n", TestContext.Current.CancellationToken);
        await _h.StartAsync();
        var launch = AgentTestHarness.Launch(shell: "./run.sh", fetch: [new FetchUri("file://" + script, Extract: false, Executable: true)]);

        _h.Gateway.Push(new LaunchTaskCommand(launch));

        await _h.WaitForStateAsync(launch.TaskId, TaskState.Finished);
        (await StdoutAsync(launch)).ShouldBe("fetched-and-run\n");
    }

    [Fact]
    public async Task Fetch_HttpTgz_IsExtractedIntoTheSandbox()
    {
        _http.Files["/bundle.tgz"] = Tgz(("data/hello.txt", "hello from tgz"));
        await _h.StartAsync();
        var launch = AgentTestHarness.Launch(shell: "cat data/hello.txt", fetch: [new FetchUri(_http.Url("/bundle.tgz"))]);

        _h.Gateway.Push(new LaunchTaskCommand(launch));

        await _h.WaitForStateAsync(launch.TaskId, TaskState.Finished);
        (await StdoutAsync(launch)).ShouldBe("hello from tgz");
    }

    [Fact]
    public async Task Fetch_HttpZip_IsExtractedIntoTheSandbox()
    {
        _http.Files["/bundle.zip"] = Zip(("inner/z.txt", "zipped"));
        await _h.StartAsync();
        var launch = AgentTestHarness.Launch(shell: "cat inner/z.txt", fetch: [new FetchUri(_http.Url("/bundle.zip"))]);

        _h.Gateway.Push(new LaunchTaskCommand(launch));

        await _h.WaitForStateAsync(launch.TaskId, TaskState.Finished);
        (await StdoutAsync(launch)).ShouldBe("zipped");
    }

    [Fact]
    public async Task Fetch_Cached_IsDownloadedOnceAndReused()
    {
        _http.Files["/tool.txt"] = Encoding.UTF8.GetBytes("cached content");
        await _h.StartAsync();
        var uri = new FetchUri(_http.Url("/tool.txt"), Extract: false, Cache: true);
        var first = AgentTestHarness.Launch(shell: "cat tool.txt", fetch: [uri]);
        var second = AgentTestHarness.Launch(shell: "cat tool.txt", fetch: [uri]);

        _h.Gateway.Push(new LaunchTaskCommand(first));
        await _h.WaitForStateAsync(first.TaskId, TaskState.Finished);
        _h.Gateway.Push(new LaunchTaskCommand(second));
        await _h.WaitForStateAsync(second.TaskId, TaskState.Finished);

        (await StdoutAsync(second)).ShouldBe("cached content");
        _http.Requests["/tool.txt"].ShouldBe(1);
    }

    [Fact]
    public async Task Fetch_Http404_ReportsFailedWithTheFetchError()
    {
        await _h.StartAsync();
        var launch = AgentTestHarness.Launch(shell: "true", fetch: [new FetchUri(_http.Url("/missing.tgz"))]);

        _h.Gateway.Push(new LaunchTaskCommand(launch));

        var failed = await _h.WaitForStateAsync(launch.TaskId, TaskState.Failed);
        failed.Reason.ShouldBe("REASON_FETCHER_FAILED");
        failed.Message!.ShouldStartWith($"Failed to fetch '{_http.Url("/missing.tgz")}'");
        failed.Message!.ShouldContain("404");
        _h.Gateway.UpdatesFor(launch.TaskId).ShouldNotContain(u => u.State == TaskState.Running);
    }

    public async ValueTask DisposeAsync()
    {
        await _h.DisposeAsync();
        await _http.DisposeAsync();
        Directory.Delete(_files, recursive: true);
    }

    private Task<string> StdoutAsync(TaskLaunch launch) =>
        File.ReadAllTextAsync(Path.Combine(_h.WorkDir, "sandboxes", launch.TaskId.Value, "stdout"), TestContext.Current.CancellationToken);

    private static byte[] Tgz(params (string Name, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            foreach (var (name, content) in entries)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
            }
        }
        return buffer.ToArray();
    }

    private static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }
        return buffer.ToArray();
    }
}
