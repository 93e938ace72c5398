namespace Harrier.LoadBalancer.Marathon;

/// <summary>marathon-lb's networking modes: host ports, Docker bridge (host ports mapped), or IP-per-task.</summary>
internal enum NetworkingMode
{
    Host,
    Bridge,
    Container,
}
