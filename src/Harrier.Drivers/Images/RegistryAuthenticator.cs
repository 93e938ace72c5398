using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Harrier.Drivers.Images;

/// <summary>
/// Answers registries' 401 challenges. A Bearer challenge is met with a token from its realm (asked for with
/// <c>scope=repository:NAME:pull</c>, and with Basic credentials when the Docker config has some for the registry);
/// a Basic challenge with those credentials. The header that worked is cached per endpoint and repository (a token
/// until shortly before it expires) and sent up front next time, so a pull costs one challenge, not one per blob.
/// </summary>
internal sealed class RegistryAuthenticator(DockerCredentials credentials, TimeProvider time)
{
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, (AuthenticationHeaderValue Header, DateTimeOffset Until)> _cache = new();

    public delegate Task<HttpResponseMessage> Transport(HttpRequestMessage request, CancellationToken cancellationToken);

    /// <summary>Sends the request built by <paramref name="build"/>, answering one challenge if the registry sends one.
    /// The response may still be a 401 or 403 (no or wrong credentials); the caller maps it.</summary>
    public async Task<HttpResponseMessage> SendAsync(RegistryEndpoint endpoint, string repository, Func<HttpRequestMessage> build,
        Transport send, CancellationToken cancellationToken)
    {
        var key = endpoint.BaseUri.AbsoluteUri + "|" + repository;
        var cached = _cache.TryGetValue(key, out var entry) && entry.Until > time.GetUtcNow() ? entry.Header : null;
        var request = build();
        request.Headers.Authorization = cached;
        var response = await send(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || response.Headers.WwwAuthenticate.FirstOrDefault() is not { } header)
        {
            return response;
        }
        var challenge = AuthChallenge.Parse(header.Scheme, header.Parameter);
        var login = credentials.For(endpoint.CredentialsKey);
        (AuthenticationHeaderValue Header, DateTimeOffset Until)? answer = challenge.IsBearer
            ? await FetchTokenAsync(challenge, repository, login, send, cancellationToken)
            : challenge.IsBasic && login is { } basic
                ? (new AuthenticationHeaderValue("Basic", DockerCredentials.BasicHeader(basic)), DateTimeOffset.MaxValue)
                : null;
        if (answer is not { } fresh || Equals(fresh.Header, cached))
        {
            return response;
        }
        response.Dispose();
        _cache[key] = fresh;
        var retry = build();
        retry.Headers.Authorization = fresh.Header;
        return await send(retry, cancellationToken);
    }

    private async Task<(AuthenticationHeaderValue, DateTimeOffset)> FetchTokenAsync(AuthChallenge challenge, string repository,
        (string User, string Password)? login, Transport send, CancellationToken cancellationToken)
    {
        if (!challenge.Parameters.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
        {
            throw new ImageStoreException(ImagePullFailure.Unauthorized, "the registry asked for a token without a valid realm");
        }
        var query = new List<string>();
        if (challenge.Parameters.TryGetValue("service", out var service))
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }
        query.Add("scope=" + Uri.EscapeDataString($"repository:{repository}:pull"));
        var separator = string.IsNullOrEmpty(realmUri.Query) ? "?" : "&";
        using var request = new HttpRequestMessage(HttpMethod.Get, realmUri.AbsoluteUri + separator + string.Join('&', query));
        if (login is { } basic)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", DockerCredentials.BasicHeader(basic));
        }
        using var response = await send(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new ImageStoreException(ImagePullFailure.Unauthorized,
                $"the token service {realmUri.Authority} refused {(login is null ? "an anonymous request" : "the configured credentials")} ({(int)response.StatusCode})");
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new ImageStoreException(ImagePullFailure.RegistryUnavailable, $"the token service {realmUri.Authority} answered {(int)response.StatusCode}");
        }
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var token = (root.TryGetProperty("token", out var t) ? t.GetString() : null)
                ?? (root.TryGetProperty("access_token", out var a) ? a.GetString() : null)
                ?? throw new JsonException("no token in the answer");
            var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds) : DefaultTokenLifetime;
            // Renew a little early so a token never expires between the check and the request.
            return (new AuthenticationHeaderValue("Bearer", token), time.GetUtcNow() + lifetime * 0.9);
        }
        catch (JsonException e)
        {
            throw new ImageStoreException(ImagePullFailure.Unauthorized, $"the token service {realmUri.Authority} gave no usable token: {e.Message}", e);
        }
    }
}
