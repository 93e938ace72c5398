namespace Harrier.Protocol;

/// <summary>The names of <see cref="AgentQueryCommand"/> queries and their arguments.</summary>
public static class AgentQueries
{
    /// <summary>The agent's images (<c>StoredImage</c>s as JSON).</summary>
    public const string ListImages = "images.list";

    /// <summary>Pull an image (argument <c>image</c>; <c>force</c> = "true" refetches the manifest).</summary>
    public const string PullImage = "images.pull";

    /// <summary>Remove an image (argument <c>image</c>: a reference or digest); 409 when in use, 404 when unknown.</summary>
    public const string RemoveImage = "images.remove";

    /// <summary>Mesos' <c>/monitor/statistics</c> for the agent's running tasks.</summary>
    public const string Statistics = "monitor.statistics";
}
