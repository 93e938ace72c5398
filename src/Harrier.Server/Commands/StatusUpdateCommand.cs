using Harrier.Protocol;

namespace Harrier.Server.Commands;

internal sealed record StatusUpdateCommand(TaskStatusUpdate Update) : ServerCommand
{
    internal override bool FromAgent => true;
}
