using Harrier.Agent.Launch;
using Harrier.Agent.Launch.Networks;
using Harrier.Drivers;
using Harrier.Drivers.Images;
using Harrier.Drivers.Oci;
using Microsoft.Extensions.Logging;

namespace Harrier.Agent;

/// <summary>
/// Builds an agent's drivers and launch steps from its options: the process driver (or the fake one), and, where
/// this machine can run containers, the OCI driver with the image store it pulls into.
/// </summary>
internal static class AgentDriverFactory
{
    public static (AgentDrivers Drivers, LaunchPipeline Pipeline, IImageStore? Images, AgentNetworks Networks) Create(
        AgentOptions options, string agentId, UriFetcher fetcher, TaskUsers users, PersistentVolumes volumes, ILogger logger, TimeProvider time)
    {
        var drivers = new Dictionary<string, ITaskDriver>(StringComparer.Ordinal);
        switch (options.Driver)
        {
            case "process":
                drivers["process"] = new ProcessDriver(new ProcessDriverOptions { CgroupParent = options.CgroupParent }, logger);
                break;
            case "fake":
                drivers["fake"] = new FakeDriver(new FakeDriverOptions(), time);
                break;
            default:
                throw new ArgumentException($"Unknown driver '{options.Driver}' (expected 'process' or 'fake')", nameof(options));
        }
        IImageStore? images = null;
        string? unavailable = null;
        if (options.Driver == "process")
        {
            var oci = new OciDriver(new OciDriverOptions
            {
                Runtime = options.OciRuntime,
                RuntimeRoot = Path.Combine(options.WorkDir, "oci-runtime"),
                BundlesDir = Path.Combine(options.WorkDir, "oci-bundles"),
                CgroupParent = options.CgroupParent,
            }, logger);
            if (oci.IsAvailable(out var reason))
            {
                drivers["oci"] = oci;
                images = new ImageStore(new ImageStoreOptions
                {
                    Root = Path.Combine(options.WorkDir, "images"),
                    Mirrors = [.. options.RegistryMirrors.Select(m => new Uri(m))],
                    InsecureRegistries = options.InsecureRegistries,
                    DockerConfigPath = options.DockerConfigPath,
                    GcThresholdBytes = options.ImageGcThresholdBytes,
                    DockerHubEndpoint = options.DockerHub switch
                    {
                        null => new ImageStoreOptions { Root = "" }.DockerHubEndpoint,
                        "none" => null,
                        var url => new Uri(url),
                    },
                }, logger, time);
            }
            else
            {
                unavailable = reason;
                AgentLog.NoContainers(logger, reason);
            }
        }
        var networks = new AgentNetworks(Path.Combine(options.WorkDir, "networks"), options.Driver == "fake" ? null : options.BridgeCidr)
        {
            Cni = options.Driver == "fake" ? Networking.Cni.CniConfigSet.Empty : CniSetup.Load(options, logger),
            TaskDns = options.TaskDns,
        };
        var pipeline = new LaunchPipeline(
        [
            // The fake driver runs nothing, so it pulls nothing either (simulated agents, API benchmarks).
            new ImageStep(images, options.Driver == "fake" ? null : unavailable),
            new FetchStep(fetcher, users),
            new VolumesStep(volumes),
            new NetworkStep(agentId, [new BridgeMode(networks), new OverlayMode(networks, networks.Overlays), CniSetup.Mode(options, networks, logger), .. PortMappingIsolatorMode.For(options, networks, agentId)]),
        ]);
        return (new AgentDrivers(drivers, options.Driver), pipeline, images, networks);
    }
}
