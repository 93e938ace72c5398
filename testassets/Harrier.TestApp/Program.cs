using System.Collections;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Harrier.TestApp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

TestAppOptions options;
try
{
    options = TestAppOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"harrier-testapp: {e.Message}\n{TestAppOptions.Usage}");
    return 2;
}

// The crash timer counts from process start, so it also fires during a slow start.
using var crashTimer = options.CrashAfterMs is { } crashAfter
    ? new Timer(_ => Exit(options.CrashCode, $"crash-after-ms {crashAfter} elapsed"), null, crashAfter, Timeout.Infinite)
    : null;

var stopping = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
{
    ctx.Cancel = true;
    if (options.IgnoreSigterm)
    {
        Console.WriteLine("harrier-testapp: SIGTERM ignored");
        return;
    }
    Console.WriteLine("harrier-testapp: SIGTERM, stopping");
    stopping.Cancel();
});
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx =>
{
    ctx.Cancel = true;
    stopping.Cancel();
});

if (options.StartDelayMs > 0)
{
    Console.WriteLine($"harrier-testapp: delaying start by {options.StartDelayMs} ms");
    try
    {
        await Task.Delay(options.StartDelayMs, stopping.Token);
    }
    catch (OperationCanceledException)
    {
        return 0;
    }
}

var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
builder.Logging.ClearProviders();
builder.Services.AddRoutingCore();
builder.Services.AddSingleton<IHostLifetime, SignalFreeLifetime>();
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(50));
builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.Listen(options.Address, options.Port, l =>
    {
        l.Protocols = HttpProtocols.Http1;
        if (options.Https)
        {
            l.UseHttps(SelfSignedCertificate.Create());
        }
    });
});

await using var app = builder.Build();
var state = new TestAppState(options, TimeProvider.System);

app.Use(async (ctx, next) =>
{
    var started = Stopwatch.GetTimestamp();
    await next(ctx);
    Console.WriteLine($"{ctx.Request.Method} {ctx.Request.Path} {ctx.Response.StatusCode} {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.#}ms");
});
app.UseRouting();

app.MapGet("/", () => $"harrier-testapp {options.Version}");
app.MapGet("/version", () => options.Version);

app.MapGet("/health", () => HealthResult(state.HealthStatus));
// The flips answer 200 whatever the new state, so a caller setting 102 or 503 is not confused by its own answer.
app.MapPost("/health/ok", () => Results.Text(HealthText(state.HealthStatus = 200)));
app.MapPost("/health/fail", () => Results.Text(HealthText(state.HealthStatus = 503)));
app.MapPost("/health/status/{code:int}", (int code) =>
    code is >= 100 and <= 599 ? Results.Text(HealthText(state.HealthStatus = code)) : Results.BadRequest($"{code} is not an HTTP status code"));

app.MapGet("/ready", () => state.Ready ? Results.Text("ready") : Results.Text("not ready", statusCode: 503));
app.MapPost("/ready/ok", () =>
{
    state.SetReady(true);
    return Results.Text(state.Ready ? "ready" : "not ready");
});
app.MapPost("/ready/fail", () =>
{
    state.SetReady(false);
    return Results.Text("not ready");
});

app.MapGet("/env", () => Results.Json(Environment.GetEnvironmentVariables()
    .Cast<DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal)
    .OrderBy(e => e.Key, StringComparer.Ordinal)
    .ToDictionary()));

app.MapPost("/crash", (HttpContext ctx) => ExitAfterResponse(ctx, options.CrashCode, "crash requested"));
app.MapPost("/exit/{code:int}", (HttpContext ctx, int code) => ExitAfterResponse(ctx, code, "exit requested"));

await app.StartAsync();
Console.WriteLine($"harrier-testapp {options.Version} listening on {options.Address}:{options.Port}{(options.Https ? " (https)" : "")}");
try
{
    await Task.Delay(Timeout.Infinite, stopping.Token);
}
catch (OperationCanceledException)
{
    // SIGTERM or SIGINT: fall through to a graceful stop.
}
await app.StopAsync();
Console.WriteLine("harrier-testapp: stopped");
return 0;

static string HealthText(int code) => code switch
{
    200 => "healthy",
    503 => "unhealthy",
    _ => $"health status {code}",
};

// 1xx, 204 and 304 answers carry no body.
static IResult HealthResult(int code) =>
    code is >= 200 and not 204 and not 304 ? Results.Text(HealthText(code), statusCode: code) : Results.StatusCode(code);

static async Task ExitAfterResponse(HttpContext ctx, int code, string why)
{
    await ctx.Response.WriteAsync($"exiting with {code}");
    await ctx.Response.CompleteAsync();
    Exit(code, why);
}

static void Exit(int code, string why)
{
    Console.WriteLine($"harrier-testapp: {why}, exiting with {code}");
    Environment.Exit(code);
}
