using System.Text.Json.Serialization;
using Harrier.Core.Apps;
using Harrier.Core.Deployments;
using Harrier.Core.Groups;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;

namespace Harrier.State.Codec;

/// <summary>
/// Source-generated metadata for the stored format. Core types carry no serializer attributes; the converters and
/// the options here define the stored shape. Every element type of a <c>ValueList</c>/<c>ValueMap</c> must be listed,
/// because the collection converters look its metadata up in this context.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    RespectNullableAnnotations = false,
    Converters =
    [
        typeof(PathIdConverter), typeof(InstanceIdConverter), typeof(TaskIdConverter), typeof(AgentIdConverter),
        typeof(DeploymentIdConverter), typeof(TimestampConverter), typeof(ValueListConverterFactory),
        typeof(ValueMapConverterFactory),
    ])]
[JsonSerializable(typeof(StoredRecord<AppSpec>))]
[JsonSerializable(typeof(StoredRecord<GroupNode>))]
[JsonSerializable(typeof(StoredRecord<Instance>))]
[JsonSerializable(typeof(StoredRecord<DeploymentPlan>))]
[JsonSerializable(typeof(StoredRecord<AgentInfo>))]
[JsonSerializable(typeof(StoredRecord<RootGroupVersion>))]
[JsonSerializable(typeof(GroupNode))]
[JsonSerializable(typeof(AppVersionRef))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(PathId))]
[JsonSerializable(typeof(InstanceId))]
[JsonSerializable(typeof(AppSpec))]
[JsonSerializable(typeof(ConstraintSpec))]
[JsonSerializable(typeof(NetworkSpec))]
[JsonSerializable(typeof(PortDefinition))]
[JsonSerializable(typeof(FetchUri))]
[JsonSerializable(typeof(HealthCheckSpec))]
[JsonSerializable(typeof(ReadinessCheckSpec))]
[JsonSerializable(typeof(PortMapping))]
[JsonSerializable(typeof(VolumeSpec))]
[JsonSerializable(typeof(DockerParameter))]
[JsonSerializable(typeof(EnvValue))]
[JsonSerializable(typeof(DeploymentStep))]
[JsonSerializable(typeof(DeploymentAction))]
[JsonSerializable(typeof(PortRange))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
