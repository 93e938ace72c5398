namespace Harrier.Core.Apps;

public sealed record CheckHttp(int? PortIndex, int? Port, string? Path, string Scheme = "HTTP");
