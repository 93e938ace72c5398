using System.Text.Json;
using Harrier.Api.Json;
using Harrier.Api.Security;
using Xunit;

namespace Harrier.Api.Tests.Json;

public sealed class EventRenderCacheTests
{
    private static readonly Principal Reader = new("reader", [PathGrant.Parse("/*", AccessAction.Read)]);
    private static readonly Principal Team = new("team", [PathGrant.Parse("/team/*", AccessAction.Admin)]);

    [Fact]
    public void GetOrRender_ManySubscribersThatSeeEverything_RendersOnceAndSharesTheBytes()
    {
        var cache = new EventRenderCache();
        var renders = 0;
        void Write(Utf8JsonWriter w)
        {
            Interlocked.Increment(ref renders);
            w.WriteStartObject();
            w.WriteString("eventType", "deployment_info");
            w.WriteEndObject();
        }

        var results = Enumerable.Range(0, 8).AsParallel()
            .Select(i => cache.GetOrRender(7, "deployment_info", true, i % 2 == 0 ? Principal.Unrestricted : Reader, Write))
            .ToList();

        Assert.Equal(1, renders);
        Assert.All(results, r => Assert.Same(results[0], r));
        Assert.Equal("""{"eventType":"deployment_info"}""", System.Text.Encoding.UTF8.GetString(results[0]));
    }

    [Fact]
    public void GetOrRender_RestrictedPrincipalOrOtherFormatOrEvent_RendersItsOwn()
    {
        var cache = new EventRenderCache();
        var renders = 0;
        void Write(Utf8JsonWriter w)
        {
            renders++;
            w.WriteNumberValue(renders);
        }

        cache.GetOrRender(1, "deployment_info", true, Principal.Unrestricted, Write);
        cache.GetOrRender(1, "deployment_info", true, Team, Write);
        cache.GetOrRender(1, "deployment_info", false, Principal.Unrestricted, Write);
        cache.GetOrRender(2, "deployment_info", true, Principal.Unrestricted, Write);
        cache.GetOrRender(1, "deployment_info", true, Team, Write);

        Assert.Equal(4, renders);
    }

    [Fact]
    public void GetOrRender_PastTheByteBudget_DropsTheOldestEntries()
    {
        var cache = new EventRenderCache();
        var big = new string('x', 4 * 1024 * 1024);
        for (var seq = 0; seq < 20; seq++)
        {
            cache.GetOrRender(seq, "deployment_success", true, Principal.Unrestricted, w => w.WriteStringValue(big));
        }

        Assert.InRange(cache.Count, 1, (int)(EventRenderCache.BudgetBytes / (4 * 1024 * 1024)));
    }
}
