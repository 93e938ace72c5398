using Xunit;

namespace Harrier.Agent.Tests.Health;

/// <summary>One plain and one HTTPS test app shared by a test class (tests in a class run one at a time).</summary>
public sealed class TestAppFixture : IAsyncLifetime
{
    internal TestAppHost Http { get; private set; } = null!;

    internal TestAppHost Https { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var http = TestAppHost.StartAsync();
        var https = TestAppHost.StartAsync("--https");
        Http = await http;
        Https = await https;
    }

    public async ValueTask DisposeAsync()
    {
        if (Http is not null)
        {
            await Http.DisposeAsync();
        }
        if (Https is not null)
        {
            await Https.DisposeAsync();
        }
    }
}
