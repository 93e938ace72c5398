using System.Text.Json.Serialization;

namespace Harrier.Protocol;

/// <summary>A command on the server → agent stream.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(LaunchTaskCommand), "launch")]
[JsonDerivedType(typeof(KillTaskCommand), "kill")]
[JsonDerivedType(typeof(AckStatusCommand), "ack")]
[JsonDerivedType(typeof(ReconcileCommand), "reconcile")]
[JsonDerivedType(typeof(UpdateTaskChecksCommand), "update-checks")]
[JsonDerivedType(typeof(StreamLogsCommand), "stream-logs")]
[JsonDerivedType(typeof(AgentQueryCommand), "query")]
[JsonDerivedType(typeof(DestroyVolumesCommand), "destroy-volumes")]
[JsonDerivedType(typeof(OverlayConfigCommand), "overlay-config")]
[JsonDerivedType(typeof(VipConfigCommand), "vip-config")]
public abstract record AgentCommand;
