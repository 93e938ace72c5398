using System.Net;
using Harrier.Core.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Harrier.LoadBalancer.Live;

/// <summary>
/// The balancer's own HTTP listener (<c>--control-address</c>, loopback by default): <c>/health</c> (200 while HAProxy
/// answers, with the last read and error), <c>/metrics</c>, and the targets of marathon-lb's signal endpoints that the
/// stats listener's Lua services call: <c>/_mlb_signal/hup</c> (read every app again) and <c>/_mlb_signal/usr1</c>
/// (validate and reload the config file as it is).
/// </summary>
internal sealed class ControlServer(
    IPAddress address,
    int port,
    Func<CancellationToken, Task<(bool Healthy, string Body)>> health,
    Func<CancellationToken, Task<string>> metrics,
    Action hup,
    Func<CancellationToken, Task<string>> usr1,
    ILoggerFactory loggers) : IAsyncDisposable
{
    private WebApplication? app;

    public async Task StartAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = DaemonBuilderDefaults.Args, ContentRootPath = DaemonBuilderDefaults.ContentRoot });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, port);
            k.Limits.MaxRequestBodySize = 4096;
        });
        var web = builder.Build();
        web.MapGet("/health", async (HttpContext c) =>
        {
            var (healthy, body) = await health(c.RequestAborted);
            c.Response.StatusCode = healthy ? 200 : 503;
            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync(body, c.RequestAborted);
        });
        web.MapGet("/metrics", async (HttpContext c) =>
        {
            c.Response.ContentType = "text/plain; version=0.0.4";
            await c.Response.WriteAsync(await metrics(c.RequestAborted), c.RequestAborted);
        });
        web.MapMethods("/_mlb_signal/hup", ["GET", "POST"], () =>
        {
            hup();
            return Results.Text("Sent SIGHUP signal to marathon-lb\n");
        });
        web.MapMethods("/_mlb_signal/usr1", ["GET", "POST"], async (HttpContext c) => Results.Text(await usr1(c.RequestAborted) + "\n"));
        await web.StartAsync(ct);
        app = web;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
