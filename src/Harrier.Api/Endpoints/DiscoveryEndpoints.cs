using System.Text.Json.Nodes;
using Harrier.Api.Http;
using Harrier.Dns.Api;
using Harrier.Dns.Records;
using Harrier.Server.Discovery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Harrier.Api.Endpoints;

/// <summary>
/// Mesos-DNS's HTTP API on the server's port (<c>/v1/version</c>, <c>/v1/config</c>, <c>/v1/hosts/{host}</c>,
/// <c>/v1/services/{service}</c>, <c>/v1/enumerate</c>, <c>/v1/axfr</c>), dcos-net's <c>/v1/vips</c>, and
/// <c>/harrier/v1/dns/records</c>: every record with its zone, which <c>harrier dns</c> serves on another host.
/// </summary>
internal static class DiscoveryEndpoints
{
    public const string Version = "0.8.0-harrier";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/version", (HttpContext context) =>
            JsonResponse.WriteAsync(context, 200, MesosDnsBodies.Version(Version)));
        routes.MapGet("/v1/config", (HttpContext context, DiscoveryCatalog catalog, Harrier.Server.ServerOptions options) =>
            JsonResponse.WriteAsync(context, 200, MesosDnsBodies.Config(catalog.Config, [options.Advertise], Serial(catalog))));
        routes.MapGet("/v1/hosts/{host}", (HttpContext context, DiscoveryCatalog catalog, string host) =>
            JsonResponse.WriteAsync(context, 200, MesosDnsBodies.Hosts(catalog.Book, host)));
        routes.MapGet("/v1/hosts/{host}/ports", (HttpContext context) =>
            JsonResponse.MessageAsync(context, 501, "not implemented"));
        routes.MapGet("/v1/services/{service}", (HttpContext context, DiscoveryCatalog catalog, string service) =>
            JsonResponse.WriteAsync(context, 200, MesosDnsBodies.Services(catalog.Book, service)));
        routes.MapGet("/v1/enumerate", (HttpContext context, DiscoveryCatalog catalog) =>
            JsonResponse.WriteAsync(context, 200, MesosDnsBodies.Enumerate(catalog.Book)));
        routes.MapGet("/v1/axfr", (HttpContext context, DiscoveryCatalog catalog) =>
            JsonResponse.WriteAsync(context, 200, MesosDnsBodies.Axfr(catalog.Book, catalog.Config, Serial(catalog))));
        routes.MapGet("/v1/vips", (HttpContext context, ApiServices api) =>
            JsonResponse.WriteAsync(context, 200, Vips(api.Orchestrator.Snapshot.Vips)));
        routes.MapGet("/harrier/v1/dns/records", (HttpContext context, DiscoveryCatalog catalog) =>
            JsonResponse.WriteAsync(context, 200, Records(catalog)));
    }

    private static uint Serial(DiscoveryCatalog catalog) => (uint)catalog.LoadedAt.ToUnixTimeSeconds();

    /// <summary>dcos-net's listing: <c>[{"vip":"name:port","protocol","backend":[{"ip","port"}]}]</c>, plus the VIP's
    /// address, its l4lb name and each backend's weight, app and task.</summary>
    internal static JsonArray Vips(VipDirectory directory) =>
        [.. directory.Vips.Values.Select(v => (JsonNode)new JsonObject
        {
            ["vip"] = $"{v.Label}:{v.Port}",
            ["protocol"] = v.Protocol,
            ["ip"] = v.Address,
            ["name"] = v.Name,
            ["backend"] = new JsonArray([.. v.Backends.Select(b => (JsonNode)new JsonObject
            {
                ["ip"] = b.Address,
                ["port"] = b.Port,
                ["weight"] = b.Weight,
                ["app"] = b.App.Value,
                ["taskId"] = b.Task.Value,
            })]),
        })];

    /// <summary>Every record the catalog serves and the zones it is authoritative for.</summary>
    private static JsonObject Records(DiscoveryCatalog catalog)
    {
        var zone = catalog.Current;
        return new JsonObject
        {
            ["serial"] = Serial(catalog),
            ["zones"] = new JsonArray([.. zone.Zones.Select(z => (JsonNode)new JsonObject
            {
                ["origin"] = z.Origin,
                ["ttl"] = z.Ttl,
                ["mname"] = z.SoaMname,
                ["rname"] = z.SoaRname,
            })]),
            ["records"] = new JsonArray([.. catalog.Book.ToRecordSet().Records.Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name,
                ["type"] = r.Kind.ToString().ToUpperInvariant(),
                ["value"] = r.Value,
            })]),
        };
    }
}
