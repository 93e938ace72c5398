using Harrier.Core.Ids;
using Harrier.Protocol;
using Xunit;

namespace Harrier.Agent.Tests;

public sealed class AgentIdentityTests
{
    [Fact]
    public void LoadOrCreate_NewWorkDir_MakesAProvenIdKeptAcrossRestartsInAPrivateFile()
    {
        var dir = Directory.CreateTempSubdirectory("harrier-identity-").FullName;
        try
        {
            var first = AgentIdentity.LoadOrCreate(dir);
            var again = AgentIdentity.LoadOrCreate(dir);

            Assert.Equal(first, again);
            Assert.True(AgentIdProof.Proves(first.Id, first.Secret));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "agent.json")));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void LoadOrCreate_WorkDirFromBeforeSecrets_KeepsItsIdWithoutASecret()
    {
        var dir = Directory.CreateTempSubdirectory("harrier-identity-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "agent.json"), """{"AgentId":"harrier-agent-0123456789abcdef0123456789abcdef"}""");

            var identity = AgentIdentity.LoadOrCreate(dir);

            Assert.Equal(new AgentId("harrier-agent-0123456789abcdef0123456789abcdef"), identity.Id);
            Assert.Null(identity.Secret);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
