using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>
/// Marathon's <c>NetworkTranslation</c>: the deprecated <c>ipAddress</c> and <c>container.docker.network</c> become
/// <c>networks</c>. An empty result means "not given" (host networking after post-validation defaults).
/// </summary>
internal static class NetworkTranslation
{
    public static List<NetworkSpec> Translate(AppRaml app)
    {
        var ip = app.IpAddress;
        var dockerNetwork = app.Container?.Docker?.Network;
        var given = app.Networks is { Count: > 0 } n ? n : null;
        if (ip is not null && dockerNetwork is not null && given is null)
        {
            var labels = new Core.Collections.ValueMap<string>(ip.Labels);
            return dockerNetwork switch
            {
                "HOST" => [NetworkSpec.Host],
                "USER" => [new NetworkSpec(NetworkMode.Container, ip.NetworkName, labels)],
                "BRIDGE" => [new NetworkSpec(NetworkMode.ContainerBridge, null, labels)],
                _ => throw new NormalizationFailure($"unsupported docker network type {dockerNetwork}"),
            };
        }
        if (ip is not null && dockerNetwork is null && given is null)
        {
            var labels = new Core.Collections.ValueMap<string>(ip.Labels);
            return ip.NetworkName == AppNormalizer.MesosBridgeName
                ? [new NetworkSpec(NetworkMode.ContainerBridge, null, labels)]
                : [new NetworkSpec(NetworkMode.Container, ip.NetworkName, labels)];
        }
        if (ip is null && dockerNetwork is not null && given is null)
        {
            return dockerNetwork switch
            {
                "HOST" => [NetworkSpec.Host],
                "USER" => [new NetworkSpec(NetworkMode.Container)],
                "BRIDGE" => [new NetworkSpec(NetworkMode.ContainerBridge)],
                _ => throw new NormalizationFailure($"unsupported docker network type {dockerNetwork}"),
            };
        }
        if (ip is null && dockerNetwork is null)
        {
            return given is null ? [] : [.. given];
        }
        throw new NormalizationFailure("cannot mix deprecated and canonical network APIs");
    }
}
