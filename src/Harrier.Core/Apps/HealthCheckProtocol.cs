namespace Harrier.Core.Apps;

public enum HealthCheckProtocol
{
    Http,
    Https,
    Tcp,
    Command,
    MesosHttp,
    MesosHttps,
    MesosTcp,
}
