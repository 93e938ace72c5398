using System.Text.Json;
using Harrier.Api.Balancers;
using Harrier.Api.Errors;
using Harrier.Api.Http;
using Harrier.Server.Balancers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Harrier.Api.Endpoints;

/// <summary>
/// Harrier: <c>/harrier/v1/balancers</c> — balancers (<c>harrier lb</c>) register here, long-poll for the tasks they
/// must drain before the server kills them, and confirm. PUT registers or refreshes; GET lists or shows one; DELETE
/// deregisters (held kills that waited only for it go out); <c>GET …/{id}/drains?wait=S</c> answers as soon as a
/// drain waits for this balancer, else an empty list after S (0–30, default 25) seconds; <c>POST …/{id}/drains</c>
/// <c>{"taskIds":[…]}</c> confirms. Every call but the plain GETs refreshes the balancer's lease; 404 for a balancer
/// that is not registered (it registers again). Access: read on <c>/</c> (what a balancer reads anyway: every app).
/// </summary>
internal static class BalancersEndpoints
{
    public const string Prefix = "/harrier/v1/balancers";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(Prefix, (HttpContext context, BalancerRegistry registry) =>
            JsonResponse.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("balancers");
                foreach (var balancer in registry.List())
                {
                    BalancerJsonWriter.Write(w, balancer);
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }));
        routes.MapGet(Prefix + "/{id}", (HttpContext context, BalancerRegistry registry, string id) =>
            BadId(context, id) ?? (registry.Find(id) is { } balancer
                ? JsonResponse.WriteAsync(context, 200, w => BalancerJsonWriter.Write(w, balancer))
                : NotRegistered(context, id)));
        routes.MapPut(Prefix + "/{id}", RegisterAsync);
        routes.MapDelete(Prefix + "/{id}", (HttpContext context, BalancerRegistry registry, string id) =>
            BadId(context, id) ?? (registry.Remove(id)
                ? JsonResponse.WriteAsync(context, 200, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("id", id);
                    w.WriteEndObject();
                })
                : NotRegistered(context, id)));
        routes.MapGet(Prefix + "/{id}/drains", DrainsAsync);
        routes.MapPost(Prefix + "/{id}/drains", ConfirmAsync);
    }

    private static Task RegisterAsync(HttpContext context, BalancerRegistry registry, string id) =>
        WithBodyAsync(context, id, BalancerRequestReader.ReadRegistration, body =>
        {
            var registration = registry.Register(id, body.Groups, body.StatsUrl);
            return JsonResponse.WriteAsync(context, 200, w => BalancerJsonWriter.Write(w, registration));
        });

    private static async Task DrainsAsync(HttpContext context, BalancerRegistry registry, IHostApplicationLifetime lifetime, string id)
    {
        if (BadId(context, id) is { } refused)
        {
            await refused;
            return;
        }
        var (wait, error) = BalancerRequestReader.ReadWait(context.Request.Query["wait"].ToString());
        if (error is not null)
        {
            await JsonResponse.ErrorAsync(context, error);
            return;
        }
        IReadOnlyList<DrainRequest>? drains;
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping))
        {
            try
            {
                drains = await registry.WaitForDrainsAsync(id, wait, stop.Token);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                // The server is stopping: answer now rather than hold its shutdown for the rest of the wait.
                drains = [];
            }
        }
        await (drains is null
            ? NotRegistered(context, id)
            : JsonResponse.WriteAsync(context, 200, w => BalancerJsonWriter.WriteDrains(w, drains)));
    }

    private static Task ConfirmAsync(HttpContext context, BalancerRegistry registry, string id) =>
        WithBodyAsync(context, id, BalancerRequestReader.ReadConfirmation, taskIds =>
            registry.Confirm(id, taskIds) is not { } confirmed
                ? NotRegistered(context, id)
                : JsonResponse.WriteAsync(context, 200, w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("confirmed", confirmed);
                    w.WriteEndObject();
                }));

    /// <summary>A checked id and a JSON body read by <paramref name="read"/> (Marathon's 4xx otherwise), then <paramref name="handle"/>.</summary>
    private static async Task WithBodyAsync<T>(HttpContext context, string id, Func<JsonElement, (T? Value, ApiError? Error)> read, Func<T, Task> handle)
        where T : class
    {
        if (BadId(context, id) is { } refused)
        {
            await refused;
            return;
        }
        var (document, error) = await RequestBody.ReadAsync(context);
        if (error is not null)
        {
            await JsonResponse.ErrorAsync(context, error);
            return;
        }
        using (document)
        {
            var (value, invalid) = read(document!.RootElement);
            if (invalid is not null)
            {
                await JsonResponse.ErrorAsync(context, invalid);
                return;
            }
            await handle(value!);
        }
    }

    private static Task? BadId(HttpContext context, string id) =>
        BalancerRequestReader.CheckId(id) is { } error ? JsonResponse.ErrorAsync(context, error) : null;

    private static Task NotRegistered(HttpContext context, string id) =>
        JsonResponse.MessageAsync(context, 404, $"Balancer '{id}' is not registered");
}
