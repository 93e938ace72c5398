namespace Harrier.Api.Balancers;

/// <summary>A validated <c>PUT /harrier/v1/balancers/{id}</c> body.</summary>
internal sealed record BalancerRegistrationBody(IReadOnlyList<string> Groups, string? StatsUrl);
