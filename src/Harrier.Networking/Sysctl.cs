namespace Harrier.Networking;

/// <summary>Kernel network settings under <c>/proc/sys/net</c> (of the namespace the agent runs in).</summary>
public static class Sysctl
{
    public static void Set(string key, string value)
    {
        var path = "/proc/sys/" + key.Replace('.', '/');
        try
        {
            if (File.Exists(path) && File.ReadAllText(path).Trim() == value)
            {
                return;
            }
            File.WriteAllText(path, value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NetworkSetupException($"cannot set {key}={value}: {e.Message}", e);
        }
    }
}
