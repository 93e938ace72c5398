namespace Harrier.Core.Apps;

public enum ContainerType
{
    Docker,
    Mesos,
}
