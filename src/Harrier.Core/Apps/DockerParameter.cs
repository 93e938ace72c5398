namespace Harrier.Core.Apps;

public sealed record DockerParameter(string Key, string Value);
