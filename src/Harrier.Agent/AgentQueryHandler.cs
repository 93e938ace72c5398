using System.Text;
using System.Text.Json;
using Harrier.Drivers.Images;
using Harrier.Linux;
using Harrier.Protocol;

namespace Harrier.Agent;

/// <summary>
/// Answers the server's <see cref="AgentQueryCommand"/>s about this agent: its image store (list, pull, remove) and
/// Mesos' <c>/monitor/statistics</c> for its running tasks, read from their cgroups. Every answer is JSON; errors
/// carry Marathon's <c>{"message": …}</c> shape with a 4xx/5xx status the API passes on.
/// </summary>
internal sealed class AgentQueryHandler(
    Func<IReadOnlyCollection<TaskRunner>> runners, IImageStore? images, string cgroupParent, TimeProvider time, string cgroupRoot = "/sys/fs/cgroup")
{
    /// <summary>Network modes that measure their tasks' traffic (the port-mapping isolator).</summary>
    public IReadOnlyList<Launch.Networks.INetworkStatisticsSource> NetworkStatistics { get; init; } = [];

    public async Task<AgentQueryAnswer> AnswerAsync(AgentQueryCommand query, CancellationToken cancellationToken)
    {
        switch (query.Query)
        {
            case AgentQueries.Statistics:
                return new AgentQueryAnswer(200, await StatisticsAsync(cancellationToken));
            case AgentQueries.ListImages or AgentQueries.PullImage or AgentQueries.RemoveImage when images is null:
                return Error(409, "This agent has no image store: it cannot run container images");
            case AgentQueries.ListImages:
                return new AgentQueryAnswer(200, ImageList(images!.List()));
            case AgentQueries.PullImage:
                return await PullAsync(images!, query, cancellationToken);
            case AgentQueries.RemoveImage:
                return Remove(images!, query);
            default:
                return Error(404, $"Unknown agent query '{query.Query}'");
        }
    }

    private async Task<AgentQueryAnswer> PullAsync(IImageStore store, AgentQueryCommand query, CancellationToken cancellationToken)
    {
        if (!query.Arguments.TryGetValue("image", out var image) || string.IsNullOrWhiteSpace(image))
        {
            return Error(422, "An image reference is required");
        }
        try
        {
            var pulled = await store.PullAsync(image, query.Arguments.TryGetValue("force", out var f) && f == "true", null, cancellationToken);
            var stored = store.List().FirstOrDefault(i => i.ManifestDigest == pulled.ManifestDigest && i.Reference == pulled.Reference);
            return new AgentQueryAnswer(200, ImageList(stored is null ? [] : [stored]));
        }
        catch (ImagePullException e)
        {
            var status = e.Failure switch
            {
                ImagePullFailure.InvalidReference => 422,
                ImagePullFailure.NotFound => 404,
                ImagePullFailure.Unauthorized => 403,
                ImagePullFailure.DiskFull => 507,
                _ => 502,
            };
            return Error(status, e.Message);
        }
    }

    private static AgentQueryAnswer Remove(IImageStore store, AgentQueryCommand query)
    {
        if (!query.Arguments.TryGetValue("image", out var image) || string.IsNullOrWhiteSpace(image))
        {
            return Error(422, "An image reference or digest is required");
        }
        try
        {
            return store.Remove(image) ? new AgentQueryAnswer(200, "{}") : Error(404, $"Image '{image}' is not in this agent's store");
        }
        catch (InvalidOperationException e)
        {
            return Error(409, e.Message);
        }
    }

    private string ImageList(IEnumerable<StoredImage> list)
    {
        var apps = runners().Where(r => r.Launch is not null && !r.IsTerminal).ToDictionary(r => r.TaskId.Value, r => r.Launch!.AppId.Value);
        return Write(w =>
        {
            w.WriteStartArray();
            foreach (var image in list)
            {
                w.WriteStartObject();
                w.WriteString("reference", image.Reference);
                w.WriteString("manifestDigest", image.ManifestDigest);
                w.WriteString("configDigest", image.ConfigDigest);
                w.WriteNumber("size", image.Size);
                w.WriteString("lastUsed", image.LastUsed.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
                w.WriteStartArray("tasks");
                foreach (var task in image.InUseBy)
                {
                    w.WriteStringValue(task);
                }
                w.WriteEndArray();
                w.WriteStartArray("apps");
                foreach (var app in image.InUseBy.Select(t => apps.GetValueOrDefault(t)).OfType<string>().Distinct().Order(StringComparer.Ordinal))
                {
                    w.WriteStringValue(app);
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    /// <summary>Mesos' <c>/monitor/statistics</c>: one entry per running task (its executor, in Mesos terms).</summary>
    private async Task<string> StatisticsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        var entries = new List<(string TaskId, ResourceStatistics Stats)>();
        foreach (var runner in runners())
        {
            if (runner.Launch is null || runner.IsTerminal || runner.Handle?.Cgroup is not { } cgroup)
            {
                continue;
            }
            var stats = CgroupStatistics.Read(cgroupRoot, cgroupParent + "/" + cgroup, now);
            foreach (var source in NetworkStatistics)
            {
                if (await source.ReadAsync(runner.TaskId.Value, cancellationToken) is { } net)
                {
                    stats = stats with { Network = net.Network, TrafficControl = net.TrafficControl, Sockets = net.Sockets };
                    break;
                }
            }
            entries.Add((runner.TaskId.Value, stats));
        }
        return Write(w =>
        {
            w.WriteStartArray();
            foreach (var (taskId, stats) in entries)
            {
                MonitorStatisticsWriter.WriteEntry(w, taskId, stats);
            }
            w.WriteEndArray();
        });
    }

    private static AgentQueryAnswer Error(int status, string message) => new(status, Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("message", message);
        w.WriteEndObject();
    }));

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
