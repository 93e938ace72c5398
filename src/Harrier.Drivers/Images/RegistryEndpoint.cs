namespace Harrier.Drivers.Images;

/// <summary>One place to pull a repository from: a registry, or a mirror standing in for Docker Hub.</summary>
/// <param name="BaseUri">Scheme and authority (and a mirror's path prefix), without a trailing slash.</param>
/// <param name="CredentialsKey">The <c>host[:port]</c> whose Docker config credentials apply.</param>
internal sealed record RegistryEndpoint(Uri BaseUri, string CredentialsKey)
{
    public Uri Url(string repository, string kind, string reference) =>
        new($"{BaseUri.AbsoluteUri.TrimEnd('/')}/v2/{repository}/{kind}/{reference}");
}
