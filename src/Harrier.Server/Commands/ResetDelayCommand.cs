using Harrier.Core.Ids;

namespace Harrier.Server.Commands;

public sealed record ResetDelayCommand(PathId AppId) : ServerCommand;
