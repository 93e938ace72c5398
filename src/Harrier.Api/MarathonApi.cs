using Harrier.Api.Endpoints;
using Harrier.Api.Http;
using Harrier.Api.Metrics;
using Harrier.Api.Security;
using Harrier.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Harrier.Api;

/// <summary>Registers and maps Marathon's v2 REST API (plus Harrier's additions) on an ASP.NET Core app.</summary>
public static partial class MarathonApi
{
    public static IServiceCollection AddHarrierApi(this IServiceCollection services, Action<AuthOptions>? auth = null)
    {
        var authOptions = new AuthOptions();
        auth?.Invoke(authOptions);
        services.AddSingleton(authOptions);
        services.AddSingleton<Authenticator>();
        services.AddSingleton<ApiServices>();
        services.AddSingleton<Json.EventRenderCache>();
        services.AddSingleton<PrometheusExporter>();
        services.AddSingleton<ApiMetrics>();
        services.AddSingleton<ServerMetrics>();
        services.TryAddSingleton<RequestGuardOptions>();
        services.TryAddSingleton<Agents.AgentAuthOptions>();
        services.AddSingleton<Agents.AgentSessions>();
        return services;
    }

    public static WebApplication UseMarathonApi(this WebApplication app)
    {
        // Touch the meters so their instruments exist before the first scrape.
        app.Services.GetRequiredService<ServerMetrics>();
        var exporter = app.Services.GetRequiredService<PrometheusExporter>();
        var metrics = app.Services.GetRequiredService<ApiMetrics>();
        var options = app.Services.GetRequiredService<ServerOptions>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Harrier.Api");
        var guard = app.Services.GetRequiredService<RequestGuardOptions>();
        var authenticator = app.Services.GetRequiredService<Authenticator>();

        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.CacheControl = "no-cache, no-store, must-revalidate";
            headers.Pragma = "no-cache";
            headers.Expires = "0";
            headers["X-Marathon-Leader"] = $"http://{options.Advertise}";
            headers["X-Frame-Options"] = "DENY";
            headers["X-XSS-Protection"] = "1; mode=block";
            await metrics.Measure(context, async () =>
            {
                try
                {
                    // The guard first (a foreign Host, a non-JSON body, oversized parts are refused before anything else),
                    // then who is asking.
                    if (!await RequestGuard.RejectAsync(context, guard))
                    {
                        await AuthMiddleware.InvokeAsync(context, authenticator, () => next(context));
                    }
                }
                catch (BadHttpRequestException e)
                {
                    // Kestrel's own verdict on the request (a body cut short by a client that went away, one over the
                    // size limit): the client's fault, answered with Kestrel's status and not logged as a server error.
                    LogBadRequest(logger, context.Request.Method, context.Request.Path, e.Message);
                    if (!context.Response.HasStarted)
                    {
                        await JsonResponse.MessageAsync(context, e.StatusCode, e.Message);
                    }
                }
                catch (Exception e) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
                {
                    // Last resort: bad input must never get here; if something does, answer Marathon's shape, log it.
                    LogUnhandled(logger, e, context.Request.Method, context.Request.Path);
                    await JsonResponse.MessageAsync(context, 500, e.Message);
                }
            });
        });

        // The agent protocol authenticates agents on its own (token, session, client certificate), not users.
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(AgentProtocolEndpoints.Prefix, StringComparison.Ordinal),
            agents => agents.UseMiddleware<Agents.AgentProtocolAuth>());

        AppsEndpoints.Map(app);
        TasksEndpoints.Map(app);
        DeploymentsEndpoints.Map(app);
        QueueEndpoints.Map(app);
        InfoEndpoints.Map(app);
        GroupsEndpoints.Map(app);
        EventsEndpoint.Map(app);
        AgentProtocolEndpoints.Map(app);
        AgentsEndpoints.Map(app);
        AgentQueryEndpoints.Map(app);
        OrphansEndpoints.Map(app);
        DiscoveryEndpoints.Map(app);
        BalancersEndpoints.Map(app);
        app.MapGet("/metrics", (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            return context.Response.WriteAsync(exporter.Render());
        });
        app.MapGet("/", (HttpContext context) =>
        {
            context.Response.Redirect("/v2/info");
            return Task.CompletedTask;
        });
        app.MapFallback((HttpContext context) => JsonResponse.MessageAsync(context, 404, "URI not found"));
        return app;
    }

    [LoggerMessage(100, LogLevel.Error, "Unhandled error for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception e, string method, string path);

    [LoggerMessage(101, LogLevel.Debug, "Bad request {Method} {Path}: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string method, string path, string reason);
}
