namespace Harrier.Client;

/// <summary>Harrier's balancers (<c>/harrier/v1/balancers</c>): the <c>harrier lb</c> instances registered with the server.</summary>
public sealed partial class HarrierClient
{
    public async Task<ApiList<BalancerSummary>> ListBalancersAsync(CancellationToken cancellationToken = default)
    {
        var (body, _) = await SendJsonAsync(HttpMethod.Get, "harrier/v1/balancers", null, cancellationToken);
        return List(body, "balancers", BalancerSummary.FromJson);
    }
}
