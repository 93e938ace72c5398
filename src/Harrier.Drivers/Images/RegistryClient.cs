using System.Net.Http.Headers;
using System.Net;
using System.Text.Json;
using Harrier.Core.Images;

namespace Harrier.Drivers.Images;

/// <summary>
/// A Docker Registry HTTP API v2 / OCI distribution client for pulling: manifests and blobs of one repository at a
/// time. Every wait is bounded: connecting (<see cref="ImageStoreOptions.ConnectTimeout"/>), the response headers
/// (<see cref="ImageStoreOptions.ResponseTimeout"/>) and each read of a body (<see cref="ImageStoreOptions.StallTimeout"/>),
/// so a registry that hangs fails the pull with RegistryUnavailable instead of holding a task in STAGING forever.
/// </summary>
internal sealed class RegistryClient : IDisposable
{
    private const int MaxErrorBodyBytes = 64 << 10;

    private readonly ImageStoreOptions _options;
    private readonly HttpClient _http;
    private readonly RegistryAuthenticator _auth;
    private readonly HashSet<string> _insecure;

    public RegistryClient(ImageStoreOptions options, DockerCredentials credentials, TimeProvider time)
    {
        _options = options;
        _insecure = new HashSet<string>(options.InsecureRegistries, StringComparer.OrdinalIgnoreCase);
        _auth = new RegistryAuthenticator(credentials, time);
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            // Blob URLs may redirect to storage; .NET drops the Authorization header on a redirect.
            AllowAutoRedirect = true,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("harrier-agent");
    }

    /// <summary>Where to pull the image from, in order: for Docker Hub images the mirrors first, then the hub.</summary>
    public IReadOnlyList<RegistryEndpoint> EndpointsFor(ImageReference image)
    {
        if (image.IsDockerHub)
        {
            var mirrors = _options.Mirrors.Select(m => new RegistryEndpoint(m, m.Authority));
            return _options.DockerHubEndpoint is { } hub ? [.. mirrors, new RegistryEndpoint(hub, ImageReference.DockerHub)] : [.. mirrors];
        }
        var scheme = _insecure.Contains(image.Registry) ? "http" : "https";
        return [new RegistryEndpoint(new Uri($"{scheme}://{image.Registry}"), image.Registry)];
    }

    /// <summary>GETs a manifest or index; returns its bytes (at most <see cref="ImageStoreOptions.MaxManifestBytes"/>)
    /// and the Content-Type the registry gave.</summary>
    public async Task<(byte[] Body, string? ContentType)> GetManifestAsync(RegistryEndpoint endpoint, string repository, string reference, CancellationToken cancellationToken)
    {
        var url = endpoint.Url(repository, "manifests", reference);
        using var response = await SendAsync(endpoint, repository, url, ManifestMediaTypes.Accept, cancellationToken);
        await ThrowIfFailedAsync(response, endpoint, $"manifest '{reference}'", cancellationToken);
        var max = _options.MaxManifestBytes;
        if (response.Content.Headers.ContentLength > max)
        {
            throw TooLarge(reference, max);
        }
        await using var body = new RegistryBodyStream(response, await response.Content.ReadAsStreamAsync(cancellationToken), _options.StallTimeout, $"manifest '{reference}'");
        // Read one byte past the limit to know it was exceeded, and never more.
        var buffer = new byte[Math.Min(max + 1, 64 << 10)];
        using var content = new MemoryStream();
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, max + 1 - content.Length)), cancellationToken)) > 0)
        {
            content.Write(buffer, 0, read);
            if (content.Length > max)
            {
                throw TooLarge(reference, max);
            }
        }
        return (content.ToArray(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Opens a blob's body; the caller reads (and verifies) it and disposes the stream.</summary>
    public async Task<Stream> OpenBlobAsync(RegistryEndpoint endpoint, string repository, string digest, CancellationToken cancellationToken)
    {
        var response = await SendAsync(endpoint, repository, endpoint.Url(repository, "blobs", digest), null, cancellationToken);
        try
        {
            await ThrowIfFailedAsync(response, endpoint, $"blob {digest}", cancellationToken);
            return new RegistryBodyStream(response, await response.Content.ReadAsStreamAsync(cancellationToken), _options.StallTimeout, $"blob {digest}");
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();

    private Task<HttpResponseMessage> SendAsync(RegistryEndpoint endpoint, string repository, Uri url, string? accept, CancellationToken cancellationToken) =>
        _auth.SendAsync(endpoint, repository, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }
            return request;
        }, TransportAsync, cancellationToken);

    /// <summary>One request, bounded until its headers arrive; network failures become RegistryUnavailable.</summary>
    private async Task<HttpResponseMessage> TransportAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ResponseTimeout);
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImageStoreException(ImagePullFailure.RegistryUnavailable,
                $"{request.RequestUri!.Authority} did not answer within {_options.ResponseTimeout.TotalSeconds:0.#} s", e);
        }
        catch (HttpRequestException e)
        {
            throw new ImageStoreException(ImagePullFailure.RegistryUnavailable, $"cannot reach {request.RequestUri!.Authority}: {e.Message}", e);
        }
    }

    /// <summary>Maps an unsuccessful answer to the failure it means, with the registry's error code when it sent one.</summary>
    private async Task ThrowIfFailedAsync(HttpResponseMessage response, RegistryEndpoint endpoint, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var status = (int)response.StatusCode;
        var code = await ErrorCodeAsync(response, cancellationToken);
        var detail = code is null ? $"{status}" : $"{status} {code}";
        throw status switch
        {
            404 or 410 => new ImageStoreException(ImagePullFailure.NotFound, $"{what} not found in the registry at {endpoint.BaseUri.Authority} ({code ?? "404"})"),
            _ when code is "NAME_UNKNOWN" or "MANIFEST_UNKNOWN" or "BLOB_UNKNOWN" => new ImageStoreException(ImagePullFailure.NotFound, $"{what} not found in the registry at {endpoint.BaseUri.Authority} ({code})"),
            401 or 403 => new ImageStoreException(ImagePullFailure.Unauthorized,
                $"the registry at {endpoint.BaseUri.Authority} refused access ({detail}); " +
                (response.RequestMessage?.Headers.Authorization is null ? "no credentials are configured for it" : "the credentials were not accepted")),
            _ => new ImageStoreException(ImagePullFailure.RegistryUnavailable, $"the registry at {endpoint.BaseUri.Authority} answered {detail} for {what}"),
        };
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            if (response.Content.Headers.ContentLength is > MaxErrorBodyBytes)
            {
                return null;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array &&
                errors.GetArrayLength() > 0 && errors[0].TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException or OperationCanceledException)
        {
            return null; // the status alone says enough
        }
    }

    private static ImageStoreException TooLarge(string reference, long max) =>
        new(ImagePullFailure.InvalidContent, $"manifest '{reference}' is larger than the {max} byte limit");
}
