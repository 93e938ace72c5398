using Harrier.Core.Collections;
using Harrier.Protocol;
using Shouldly;
using Xunit;

namespace Harrier.Agent.Tests;

public sealed class TaskUsersTests
{
    private readonly TaskUsers _users = new("nobody");

    [Fact]
    public void Resolve_ProcessWithoutUser_RunsAsTheDefaultUser() =>
        _users.Resolve(AgentTestHarness.Launch(shell: "true")).User.ShouldBe("nobody");

    [Fact]
    public void Resolve_ProcessWithUser_KeepsIt() =>
        _users.Resolve(AgentTestHarness.Launch(shell: "true") with { User = "root" }).User.ShouldBe("root");

    [Fact]
    public void Resolve_ContainerWithoutUser_KeepsTheImageUser()
    {
        var launch = AgentTestHarness.Launch() with { Container = new TaskContainer { Image = "busybox" } };

        _users.Resolve(launch).User.ShouldBeNull();
    }

    [Fact]
    public void HostUserOf_ContainerUserTheHostLacks_IsTheDefaultUser()
    {
        var launch = AgentTestHarness.Launch() with { User = "only-in-the-image", Container = new TaskContainer { Image = "busybox" } };

        _users.HostUserOf(launch)!.Name.ShouldBe("nobody");
    }

    [Fact]
    public void DefaultFor_Nothing_IsNobodyForRootElseTheAgentItself() =>
        TaskUsers.DefaultFor(null).ShouldBe(Environment.UserName == "root" ? "nobody" : Environment.UserName);

    [Fact]
    public void CheckDefault_UnknownUser_SaysSo() =>
        TaskUsers.CheckDefault("no-such-user-here").ShouldBe("user 'no-such-user-here' does not exist");
}
