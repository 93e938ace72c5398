namespace Harrier.Core.Apps;

public sealed record CheckTcp(int? PortIndex, int? Port);
