namespace Harrier.Core.Apps;

public enum NetworkMode
{
    Host,
    ContainerBridge,
    Container,
}
