using Harrier.Api.Errors;
using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary><c>cmd</c>, <c>args</c> and the container that may replace them (<c>containsCmdArgsOrContainer</c>).</summary>
internal static class CommandValidator
{
    public const string CmdArgsOrContainerMessage = "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.";

    public static IEnumerable<Violation> Validate(AppRaml app)
    {
        if (app.Cmd is { Length: <= 1 })
        {
            yield return new Violation("/", "must not be an empty string");
        }
        var cmd = app.Cmd is not null;
        var args = app.Args.Count > 0;
        var container = app.Container is { Docker: not null, Type: ContainerType.Docker or ContainerType.Mesos };
        if (!((cmd ^ args) || (!(cmd && args) && container)))
        {
            yield return new Violation("/", CmdArgsOrContainerMessage);
        }
    }
}
