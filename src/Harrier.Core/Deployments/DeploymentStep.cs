using Harrier.Core.Collections;

namespace Harrier.Core.Deployments;

/// <summary>A step: its actions run in parallel; steps run one after another.</summary>
public sealed record DeploymentStep(ValueList<DeploymentAction> Actions);
