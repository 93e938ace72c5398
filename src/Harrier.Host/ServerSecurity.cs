using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Harrier.Api.Agents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

namespace Harrier.Host;

/// <summary>
/// The server's transport security from its flags: HTTPS for the API and the agent protocol (<c>--tls-cert</c>,
/// <c>--tls-key</c>), the agents' join secret (<c>--agent-token-file</c>) and their client certificates
/// (<c>--agent-client-ca</c>). Client certificates are asked for but not required in the handshake, so API clients
/// need none; the agent protocol's own authentication requires them (<see cref="AgentProtocolAuth"/>).
/// </summary>
internal static class ServerSecurity
{
    public static string Scheme(DevOptions o) => o.TlsCert is null ? "http" : "https";

    /// <summary>Configures Kestrel and the agents' authentication; an error (unreadable file, bad PEM) as a message.</summary>
    public static string? Configure(WebApplicationBuilder builder, DevOptions o)
    {
        var agents = new AgentAuthOptions();
        try
        {
            if (o.AgentTokenFile is { } tokenFile)
            {
                agents.JoinToken = ReadToken(tokenFile);
            }
            if (o.AgentClientCa is { } caFile)
            {
                var ca = new X509Certificate2Collection();
                ca.ImportFromPemFile(caFile);
                agents.ClientCa = ca.Count > 0 ? ca : throw new InvalidDataException($"{caFile}: no PEM certificate in it");
            }
            if (o.TlsCert is { } certFile)
            {
                var certificate = Agent.AgentTls.LoadPem(certFile, o.TlsKey);
                builder.WebHost.UseKestrelHttpsConfiguration();
                builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https =>
                {
                    https.ServerCertificate = certificate;
                    if (agents.ClientCa is not null)
                    {
                        https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                        // Checked against --agent-client-ca by the agent protocol, not against the system store here.
                        https.ClientCertificateValidation = (_, _, _) => true;
                    }
                }));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or InvalidDataException or ArgumentException)
        {
            return e.Message;
        }
        builder.Services.AddSingleton(agents);
        return null;
    }

    /// <summary>The join secret: the file's content without surrounding whitespace; at least 16 characters.</summary>
    public static string ReadToken(string file)
    {
        var token = File.ReadAllText(file).Trim();
        return token.Length >= 16 ? token : throw new InvalidDataException($"{file}: the agent token must be at least 16 characters");
    }
}
