using Harrier.Api.Agents;
using Harrier.Core.Ids;
using Harrier.Core.Resources;
using Harrier.Protocol;
using Xunit;

namespace Harrier.Api.Tests.Agents;

public sealed class AgentRegistrationAuthorizerTests
{
    private static AgentInfo Agent(AgentId id) => new() { Id = id, Hostname = "h", Resources = new ResourceVector(1, 1, 1) };

    [Fact]
    public void Refusal_SelfCertifyingId_NeedsItsSecretEvenWhenUnbound()
    {
        var sessions = new AgentSessions();
        var secret = AgentIdProof.NewSecret();
        var agent = Agent(AgentIdProof.IdFor(secret));

        Assert.NotNull(AgentRegistrationAuthorizer.Refusal(sessions, agent, null, null, null, false));
        Assert.NotNull(AgentRegistrationAuthorizer.Refusal(sessions, agent, null, AgentIdProof.NewSecret(), null, false));
        Assert.Null(AgentRegistrationAuthorizer.Refusal(sessions, agent, null, secret, null, false));
    }

    [Fact]
    public void Refusal_BoundLegacyId_OnlyWithItsCurrentSession()
    {
        var sessions = new AgentSessions();
        var agent = Agent(new AgentId("legacy-1"));
        Assert.Null(AgentRegistrationAuthorizer.Refusal(sessions, agent, null, null, null, false));
        var first = sessions.Issue(agent.Id);

        Assert.NotNull(AgentRegistrationAuthorizer.Refusal(sessions, agent, null, null, null, false));
        Assert.NotNull(AgentRegistrationAuthorizer.Refusal(sessions, agent, "guess", null, null, false));
        Assert.Null(AgentRegistrationAuthorizer.Refusal(sessions, agent, first, null, null, false));
        var second = sessions.Issue(agent.Id);
        Assert.NotNull(AgentRegistrationAuthorizer.Refusal(sessions, agent, first, null, null, false));
        Assert.Null(sessions.AgentOf(first));
        Assert.Equal(agent.Id, sessions.AgentOf(second));
    }

    [Fact]
    public void Refusal_CertificatesRequiredButNone_Refused()
    {
        var sessions = new AgentSessions();
        Assert.NotNull(AgentRegistrationAuthorizer.Refusal(sessions, Agent(new AgentId("a")), null, null, null, certificateMustName: true));
    }

    [Fact]
    public void IdFor_SameSecret_SameSelfCertifyingId()
    {
        var secret = AgentIdProof.NewSecret();
        Assert.Equal(AgentIdProof.IdFor(secret), AgentIdProof.IdFor(secret));
        Assert.True(AgentIdProof.IsSelfCertifying(AgentIdProof.IdFor(secret)));
        Assert.False(AgentIdProof.IsSelfCertifying(new AgentId("harrier-agent-" + Guid.NewGuid().ToString("N"))));
        Assert.True(AgentIdProof.Proves(AgentIdProof.IdFor(secret), secret));
        Assert.False(AgentIdProof.Proves(AgentIdProof.IdFor(secret), secret + "x"));
    }
}
