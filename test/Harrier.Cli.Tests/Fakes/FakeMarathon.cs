using System.Net;
using System.Text;

namespace Harrier.Cli.Tests.Fakes;

/// <summary>
/// An in-test Marathon: routes by method and exact path (query ignored for routing), records every request, and
/// answers with canned JSON. An unrouted request answers 404 naming itself, so a wrong path fails loudly.
/// </summary>
public sealed class FakeMarathon : HttpMessageHandler
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Dictionary<(string Method, string Path), Func<RecordedRequest, HttpResponseMessage>> _routes = [];

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public FakeMarathon On(string method, string path, Func<RecordedRequest, HttpResponseMessage> respond)
    {
        lock (_gate)
        {
            _routes[(method, path)] = respond;
        }
        return this;
    }

    public FakeMarathon OnJson(string method, string path, string json, int status = 200, string? deploymentId = null) =>
        On(method, path, _ => Json(json, status, deploymentId));

    public static HttpResponseMessage Json(string json, int status = 200, string? deploymentId = null)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (deploymentId is not null)
        {
            response.Headers.Add("Marathon-Deployment-Id", deploymentId);
        }
        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method.Method, uri, uri.AbsolutePath, uri.Query, body, request.Headers.Accept.ToString());
        Func<RecordedRequest, HttpResponseMessage>? respond;
        lock (_gate)
        {
            _requests.Add(recorded);
            _routes.TryGetValue((recorded.Method, recorded.Path), out respond);
        }
        return respond is null
            ? Json($$"""{"message":"fake: no route for {{recorded.Method}} {{recorded.Path}}"}""", 404)
            : respond(recorded);
    }
}
