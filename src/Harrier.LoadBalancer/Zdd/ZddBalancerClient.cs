using System.Net.Http.Headers;
using System.Text;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// Reads a balancer's stats port (marathon-lb's endpoints, which <c>harrier lb</c> serves too):
/// <c>/_haproxy_getpids</c> and <c>/haproxy?stats;csv</c>. Credentials in the URL (<c>http://user:pass@host:9090</c>,
/// for <c>--stats-auth</c>) go as Basic auth. Failures come back as a reason, never an exception: the runner retries
/// within its bounded wait.
/// </summary>
internal sealed class ZddBalancerClient(HttpClient client, TimeSpan timeout)
{
    /// <summary>How many HAProxy processes the balancer reports, or an error.</summary>
    public async Task<(int? Count, string? Error)> PidCountAsync(Uri balancer, CancellationToken ct)
    {
        var answer = await Http(balancer).SendAsync(HttpMethod.Get, Base(balancer) + "/_haproxy_getpids", null, withCredentials: true, ct);
        if (!answer.IsSuccess)
        {
            return (null, answer.Describe());
        }
        var pids = answer.Body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return pids.All(p => p.All(char.IsAsciiDigit)) ? (pids.Length, null) : (null, "/_haproxy_getpids did not answer a list of process ids");
    }

    /// <summary>The balancer's parsed CSV stats, or an error (unreachable, error status, not HAProxy CSV).</summary>
    public async Task<(ZddBalancerStats? Stats, string? Error)> StatsAsync(Uri balancer, CancellationToken ct)
    {
        var answer = await Http(balancer).SendAsync(HttpMethod.Get, Base(balancer) + "/haproxy?stats;csv", null, withCredentials: true, ct);
        if (!answer.IsSuccess)
        {
            return (null, answer.Describe());
        }
        try
        {
            return (new ZddBalancerStats(Display(balancer), HaproxyStatsCsv.Parse(answer.Body)), null);
        }
        catch (FormatException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>The URL without credentials, for messages.</summary>
    public static string Display(Uri balancer) => new UriBuilder(balancer) { UserName = "", Password = "" }.Uri.AbsoluteUri.TrimEnd('/');

    private static string Base(Uri balancer) => Display(balancer);

    private ZddHttp Http(Uri balancer) => new(client, Credentials(balancer), timeout);

    private static AuthenticationHeaderValue? Credentials(Uri balancer) =>
        balancer.UserInfo.Length == 0 ? null
            : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(balancer.UserInfo))));
}
