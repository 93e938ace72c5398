using Harrier.Core.Collections;
using Harrier.Core.Ids;

namespace Harrier.Core.Deployments;

/// <summary>One action of a step. <see cref="ScaleTo"/> applies to Scale (and Start, where it is 0).</summary>
public sealed record DeploymentAction(
    DeploymentActionKind Kind,
    PathId RunSpecId,
    int? ScaleTo = null,
    ValueList<InstanceId> SentencedToDeath = default);
