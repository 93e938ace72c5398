using Harrier.Protocol;

namespace Harrier.Server.Commands;

internal sealed record HealthReportCommand(TaskHealthReport Report) : ServerCommand
{
    internal override bool FromAgent => true;
}
