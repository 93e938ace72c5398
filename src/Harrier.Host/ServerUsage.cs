namespace Harrier.Host;

/// <summary><c>harrier server --help</c>: the flags of the server verb (its own file, so each verb's text merges alone).</summary>
internal static class ServerUsage
{
    public const string Text = $"""
        Usage: harrier server [options]
          Runs the Harrier server (Marathon API and scheduler) without an agent; agents join with harrier agent --server URL.

          --http-port N          API port (default 8080)
          --http-address ADDR    bind address (default 127.0.0.1; on a loopback address only requests for localhost,
                                 127.x or [::1] are answered, against DNS rebinding)
          --data-dir DIR         state directory: the SQLite store (default ./.harrier)
          --service-ports A-B    service port range (default 10000-20000)
          --max-versions N       stored versions kept per app and of the root group (default 50)
          --max-instances-per-app N        the most instances one app may ask for; more is a 422 (default 100000)
          --new-group-enforce-role top|off a new top-level group enforces its role: its apps get the group's name as
                                           their role by default and no other (Marathon's --new_group_enforce_role; default off)
          --overlay NAME=CIDR    an overlay network every agent joins with a slice of CIDR (repeatable; default
                                           dcos=10.200.0.0/16, a /24 per agent; the first --overlay replaces it)
        {DiscoveryFlags.Usage}
          --seed N               seed placement randomness (tests)
          --health-breaker on|off          pause health kills when many apps fail at once (default on)
          --health-breaker-share F         failing share of checked instances that trips it (default 0.5)
          --health-breaker-min-apps N      ...spread over at least N apps (default 3)
          --agent-timeout SECONDS          an agent silent this long is lost; its instances become unreachable (default 30)
          --orphan-grace SECONDS           tasks unknown to the server run this long before they are killed (default 60)
          --balancer-drain-timeout SECONDS a kill of a task a registered balancer fronts waits this long at most for its
                                           drain confirmation, unless the app sets taskKillGracePeriodSeconds (default 10)
          --recover-from-agents            state.db is missing, empty or corrupt: start an empty store (a damaged file is
                                           moved aside) and keep every task agents report as an orphan, never killed
                                           automatically (GET /v2/orphans)
          --http-credentials USER:PASS     HTTP Basic auth on every endpoint but /ping (repeatable; env MESOSPHERE_HTTP_CREDENTIALS)
          --http-credentials-file FILE     the same, one USER:PASS per line
          --http-realm REALM               the Basic realm (default Mesosphere)
          --acl-file FILE                  principals (password or token hashes) with read/write/admin grants per path
          --insecure                       serve the API on a non-loopback address without authentication
          --allowed-users A,B    apps may name only these users in "user" (default: any)
          --agent-token-file FILE          agents must present this join secret to register
          --tls-cert FILE --tls-key FILE   serve the API and the agent protocol over HTTPS (PEM)
          --agent-client-ca FILE           agents must present a client certificate issued by this CA, naming them (PEM)
          --agent-reconcile-interval SECONDS   ask each agent for all its tasks this often (default 120; 0: at registration only)
          -h, --help             this text
        """;
}
