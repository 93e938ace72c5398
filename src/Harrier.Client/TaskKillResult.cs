using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary>
/// A task kill answers <c>{"task": Task}</c>, or a deployment result when <c>scale=true</c> (§2.1); exactly one of
/// <see cref="Task"/> and <see cref="Deployment"/> is set.
/// </summary>
public sealed record TaskKillResult(AppTask? Task, DeploymentResult? Deployment, JsonObject Raw);
