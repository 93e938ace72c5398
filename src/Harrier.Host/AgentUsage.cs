namespace Harrier.Host;

/// <summary><c>harrier agent --help</c>: the flags of the agent daemon (its own file, so each verb's text merges alone).</summary>
internal static class AgentUsage
{
    public const string Text = """
        Usage: harrier agent --server URL [options]
          Runs one agent in its own process, joined to a harrier server over HTTP (harrier agent list|drain|undrain
          are client verbs: harrier agent list --help).

          --server URL           the server to join (required)
          --work-dir DIR         checkpoint, sandboxes, images and volumes (default ./.harrier-agent)
          --hostname NAME        the advertised hostname/HOST (default 127.0.0.1)
          --cpus N --mem MIB --disk MIB   override the detected resources
          --ports A-B[,C-D]      host port ranges (default 31000-32000)
          --resources 'cpus:4;mem:8192;disk:40000;gpus:0;ports:[31000-32000]'   Mesos syntax, instead of the above
          --attributes 'rack:one;zone:a'   attributes (constraints match them)
          --role ROLE            * (default) or a reserved role such as slave_public
          --driver process|fake  task driver; 'fake' runs nothing (benchmarks only; default process)
          --registry-mirror URL  a mirror for Docker Hub images, tried first (repeatable)
          --docker-hub URL|none  where Docker Hub images come from after the mirrors (none: mirrors only)
          --insecure-registry HOST:PORT    a registry spoken to over plain HTTP (repeatable)
          --docker-config FILE   a Docker config.json with registry credentials ("auths")
          --image-gc-threshold SIZE        unpacked images kept before unused ones are removed (default 10GB)
          --oci-runtime crun|runc          the OCI runtime for container tasks (default crun)
          --bridge-cidr CIDR     the subnet of the bridge for container/bridge tasks (default 172.31.254.0/24)
          --isolation LIST       Mesos isolators, comma-separated; network/port_mapping gives host-mode tasks a namespace
                                 sharing the host's address (needs ephemeral_ports in --resources; unknown names refused)
          --ephemeral-ports-per-container N      port_mapping: ephemeral ports per task (power of 2, >= 16; default 1024)
          --egress-rate-limit-per-container SIZE port_mapping: bytes per second a task may send (10MB; default unlimited)
          --network-enable-socket-statistics[-summary|-details]   port_mapping: net_tcp_* statistics (the plain flag: both)
          --eth0-name IFACE      port_mapping: the host's public interface (default: that of the default route)
          --cni-config-dir DIR   CNI network configurations (*.conflist, *.conf) offered as named networks (default none)
          --cni-plugin-dir DIR[:DIR]       where CNI plugins are looked up (default /usr/lib/cni:/opt/cni/bin)
          --default-user USER    tasks without "user" run as USER (default nobody when the agent is root, else its own user)
          --agent-token-file FILE          the server's join secret, presented at registration
          --ca-cert FILE         trust only this CA (PEM) for an https:// server (default: the system store)
          --tls-client-cert FILE --tls-client-key FILE   the client certificate to present (PEM)
          -h, --help             this text
        """;
}
