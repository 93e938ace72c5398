using Harrier.Core.Apps;
using Harrier.Core.Deployments;

namespace Harrier.Server.Commands;

/// <summary>The stored and started deployment, and the resulting definitions of the changed apps.</summary>
public sealed record DeployResult(DeploymentPlan Plan, IReadOnlyList<AppSpec> Apps, IReadOnlyList<Harrier.Core.Ids.PathId> Created);
