using Harrier.Api.Errors;
using Harrier.Core.Apps;
using Harrier.Core.Images;

namespace Harrier.Api.Apps;

/// <summary>The container engine rules (<c>validContainer</c>, <c>validOldContainerAPI</c>, Mesos checks with Docker).</summary>
internal static class ContainerValidator
{
    /// <summary>Rules on the deprecated docker fields; they run before normalization removes those fields.</summary>
    public static IEnumerable<Violation> ValidateDeprecated(ContainerRaml? c)
    {
        if (c?.Docker is not { } d)
        {
            yield break;
        }
        if (d.HasCredential)
        {
            yield return new Violation("/container/docker/credential", "must be empty");
        }
        if (c.Type == ContainerType.Mesos)
        {
            if (d.Network is not null)
            {
                yield return new Violation("/container/docker/network", "must be empty");
            }
            if (d.Parameters.Count > 0)
            {
                yield return new Violation("/container/docker/parameters", "must be empty");
            }
            if (d.PortMappings is { Count: > 0 })
            {
                yield return new Violation("/container/docker/portMappings", "must be empty");
            }
        }
        if (d.PortMappings is { } pms && pms.Select(m => m.Name).OfType<string>().GroupBy(n => n).Any(g => g.Count() > 1))
        {
            yield return new Violation("/container/docker/portMappings", "Port names must be unique.");
        }
    }

    public static IEnumerable<Violation> Validate(AppRaml app, AppReadContext context)
    {
        if (app.Check is not null && app.Container?.Type == ContainerType.Docker)
        {
            yield return new Violation("/", "AppDefinition must not use 'checks' if using docker");
        }
        if (app.Container is not { } c)
        {
            yield break;
        }
        if (c.Docker is { Image.Length: > 0 } withImage && !ImageReference.TryParse(withImage.Image, out _, out var imageError))
        {
            yield return new Violation("/container/docker/image", imageError ?? "invalid image reference");
        }
        if (c.Type == ContainerType.Docker)
        {
            if (c.Docker is null)
            {
                yield return new Violation("/container/docker", "not defined");
            }
            else if (c.Docker.PullConfigSecret is not null)
            {
                yield return new Violation("/container/docker/pullConfig", "pullConfig is not supported with Docker containerizer");
            }
            if (c.Docker is { } docker)
            {
                for (var i = 0; i < docker.Parameters.Count; i++)
                {
                    var key = docker.Parameters[i].Key;
                    if (!DockerParameter.Supported.Contains(key, StringComparer.Ordinal))
                    {
                        yield return new Violation(
                            $"/container/docker/parameters({i})/key",
                            $"docker parameter '{key}' is not supported; supported: {string.Join(", ", DockerParameter.Supported)}");
                    }
                }
            }
        }
        else if (c.Docker?.PullConfigSecret is { } secret)
        {
            if (!context.IsEnabled(AppReadContext.SecretsFeature))
            {
                // `pullConfig is empty or featureEnabled(secrets)`: both alternatives are reported.
                yield return new Violation("/container/docker/pullConfig", "must be empty");
                yield return new Violation("/container/docker/pullConfig", AppReadContext.FeatureDisabledMessage(AppReadContext.SecretsFeature));
            }
            if (!app.Secrets.ContainsKey(secret))
            {
                yield return new Violation("/container/docker/pullConfig", "pullConfig.secret must refer to an existing secret");
            }
        }
        if (c.LinuxInfo is { } linux)
        {
            if (linux.SeccompUnconfined == true && linux.SeccompProfileName is not null)
            {
                yield return new Violation("/container/linuxInfo/seccomp", "Seccomp unconfined can NOT be true when Profile is defined");
            }
            if (linux.IpcMode == "SHARE_PARENT" && linux.IpcShmSize is not null)
            {
                yield return new Violation("/container/linuxInfo/ipcInfo", "ipcInfo shmSize can NOT be set when mode is SHARE_PARENT");
            }
        }
        foreach (var v in VolumesValidator.Validate(app, c, context))
        {
            yield return v;
        }
    }
}
