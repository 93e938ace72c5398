using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Harrier.Testing.Images;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Harrier.Drivers.Tests.Images;

/// <summary>
/// A registry in the test process (Kestrel on 127.0.0.1) serving images from OCI layouts, counting requests, and
/// letting a test replace the answer to any path: the hostile and broken registries the real one cannot play
/// (wrong bytes, short bodies, silence, oversized manifests) and a Bearer token service.
/// </summary>
internal sealed class FakeRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (byte[] Body, string MediaType)> _manifests = new();
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new();
    private readonly ConcurrentQueue<string> _requests = new();

    private FakeRegistry(WebApplication app) => _app = app;

    public string Host { get; private set; } = "";

    public Uri Url => new($"http://{Host}");

    /// <summary>Answers replacing the normal one, by request path (<c>/v2/a/b/blobs/sha256:…</c>).</summary>
    public ConcurrentDictionary<string, RequestDelegate> Overrides { get; } = new();

    /// <summary>When set, /v2/ requests need <c>Authorization: Bearer</c> with this token, given by <c>/token</c>.</summary>
    public string? RequiredToken { get; set; }

    /// <summary>When set (with <see cref="RequiredToken"/>), <c>/token</c> needs these Basic credentials.</summary>
    public (string User, string Password)? TokenCredentials { get; set; }

    /// <summary>A delay before each blob's body, so concurrent pulls overlap.</summary>
    public TimeSpan BlobDelay { get; set; }

    public static async Task<FakeRegistry> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var registry = new FakeRegistry(app);
        app.Run(registry.HandleAsync);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        registry.Host = $"127.0.0.1:{address.Port}";
        return registry;
    }

    /// <summary>Serves the layout's image (or index) as <paramref name="repository"/>:<paramref name="tag"/>.</summary>
    public void Add(string repository, string tag, TestImageLayout layout)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(layout.Directory, "blobs", "sha256")))
        {
            var body = File.ReadAllBytes(file);
            var digest = "sha256:" + Path.GetFileName(file);
            _blobs[digest] = body;
            if (MediaTypeOf(body) is { } mediaType && (mediaType.Contains("manifest", StringComparison.Ordinal) || mediaType.Contains("index", StringComparison.Ordinal)))
            {
                _manifests[$"{repository}@{digest}"] = (body, mediaType);
            }
        }
        var top = layout.IndexDigest ?? layout.ManifestDigest;
        _manifests[$"{repository}:{tag}"] = _manifests[$"{repository}@{top}"];
    }

    /// <summary>Serves raw bytes as a manifest.</summary>
    public void SetManifest(string repository, string tag, byte[] body, string mediaType) => _manifests[$"{repository}:{tag}"] = (body, mediaType);

    public string Reference(string repositoryAndTag) => $"{Host}/{repositoryAndTag}";

    /// <summary>How many requests had a path containing <paramref name="fragment"/>.</summary>
    public int Count(string fragment) => _requests.Count(p => p.Contains(fragment, StringComparison.Ordinal));

    public IReadOnlyList<string> Requests => [.. _requests];

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        _requests.Enqueue(path);
        if (Overrides.TryGetValue(path, out var handler))
        {
            await handler(context);
            return;
        }
        if (path == "/token")
        {
            await TokenAsync(context);
            return;
        }
        if (RequiredToken is not null && context.Request.Headers.Authorization != "Bearer " + RequiredToken)
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{Url}token\",service=\"fake-registry\",scope=\"repository:x:pull\"";
            return;
        }
        if (path == "/v2/")
        {
            return;
        }
        var manifests = path.LastIndexOf("/manifests/", StringComparison.Ordinal);
        var blobs = path.LastIndexOf("/blobs/", StringComparison.Ordinal);
        if (manifests > 3)
        {
            var repository = path[4..manifests];
            var reference = path[(manifests + "/manifests/".Length)..];
            var key = repository + (reference.StartsWith("sha256:", StringComparison.Ordinal) ? "@" : ":") + reference;
            if (_manifests.TryGetValue(key, out var manifest))
            {
                context.Response.ContentType = manifest.MediaType;
                await context.Response.Body.WriteAsync(manifest.Body);
                return;
            }
            await ErrorAsync(context, 404, "MANIFEST_UNKNOWN");
            return;
        }
        if (blobs > 3 && _blobs.TryGetValue(path[(blobs + "/blobs/".Length)..], out var blob))
        {
            await Task.Delay(BlobDelay, context.RequestAborted);
            context.Response.ContentLength = blob.Length;
            await context.Response.Body.WriteAsync(blob);
            return;
        }
        await ErrorAsync(context, 404, blobs > 3 ? "BLOB_UNKNOWN" : "NAME_UNKNOWN");
    }

    private async Task TokenAsync(HttpContext context)
    {
        if (TokenCredentials is { } login &&
            context.Request.Headers.Authorization != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login.User}:{login.Password}")))
        {
            context.Response.StatusCode = 401;
            return;
        }
        await context.Response.WriteAsJsonAsync(new { token = RequiredToken, expires_in = 300 });
    }

    private static Task ErrorAsync(HttpContext context, int status, string code)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { errors = new[] { new { code, message = code.ToLowerInvariant() } } });
    }

    private static string? MediaTypeOf(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("mediaType", out var m) ? m.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
