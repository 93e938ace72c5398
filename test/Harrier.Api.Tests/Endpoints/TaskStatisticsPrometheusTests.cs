using Harrier.Api.Endpoints;
using Xunit;

namespace Harrier.Api.Tests.Endpoints;

/// <summary>An agent's statistics as Prometheus series; an agent's answer is input, so a malformed one is refused.</summary>
public sealed class TaskStatisticsPrometheusTests
{
    [Fact]
    public void TryRender_MesosEntries_OneSeriesPerTaskAndFigure()
    {
        const string Json = """
            [{"executor_id":"a.1","framework_id":"harrier","source":"a.1","statistics":{"timestamp":1.5,"mem_limit_bytes":50331648,"cpus_user_time_secs":0.25}},
             {"executor_id":"b\"2","framework_id":"harrier","source":"b","statistics":{"timestamp":1.5,"mem_limit_bytes":1}}]
            """;

        Assert.True(TaskStatisticsPrometheus.TryRender("agent-1", Json, out var text, out var error), error);

        Assert.Equal(
            "# TYPE harrier_task_cpus_user_time_secs counter\n" +
            "harrier_task_cpus_user_time_secs{agent=\"agent-1\",task=\"a.1\"} 0.25\n" +
            "# TYPE harrier_task_mem_limit_bytes gauge\n" +
            "harrier_task_mem_limit_bytes{agent=\"agent-1\",task=\"a.1\"} 50331648\n" +
            "harrier_task_mem_limit_bytes{agent=\"agent-1\",task=\"b\\\"2\"} 1\n",
            text);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("[{\"statistics\":{}}]")]
    [InlineData("[{\"executor_id\":\"a\"}]")]
    [InlineData("[{\"executor_id\":5,\"statistics\":{}}]")]
    public void TryRender_MalformedAnswer_IsRefusedNotThrown(string json)
    {
        Assert.False(TaskStatisticsPrometheus.TryRender("agent-1", json, out _, out var error));
        Assert.NotNull(error);
    }
}
