namespace Harrier.LoadBalancer.Rendering;

/// <summary>
/// The defaults HAProxy 2.6 no longer parses (<c>rspadd</c>, <c>reqirep</c>, <c>rspirep</c> were removed in 2.1),
/// rewritten with the same effect for the live balancer: add the HSTS header; strip the proxy-pass prefix from the path
/// (case-insensitively, as <c>reqirep</c> matched) and set Host; replace a <c>Location</c> header pointing at the vhost
/// with the reverse-proxy root. Label and environment overrides are never rewritten.
/// </summary>
internal static class LiveTemplates
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["BACKEND_HSTS_OPTIONS"] =
            "  http-response add-header Strict-Transport-Security max-age=15768000\n",
        ["HTTP_BACKEND_PROXYPASS_GLUE"] =
            "  http-request set-header Host {hostname}\n"
            + "  http-request replace-path (?i)^{proxypath}/?(.*) /\\1\n",
        ["HTTP_BACKEND_REVPROXY_GLUE"] =
            "  acl hdr_location res.hdr(Location) -m found\n"
            + "  http-response replace-header Location ^(https?://{hostname}(:[0-9]+)?)?(/.*) {rootpath} if hdr_location\n",
    };
}
