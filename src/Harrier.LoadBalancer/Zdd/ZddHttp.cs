using System.Net.Http.Headers;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// Sends one request with a deadline and turns every transport failure (refused, reset, DNS, timeout, a body over
/// the client's size limit) into a <see cref="ZddHttpAnswer"/> with a reason instead of an exception. Only the
/// caller's own cancellation propagates.
/// </summary>
internal sealed class ZddHttp(HttpClient client, AuthenticationHeaderValue? authorization, TimeSpan timeout)
{
    /// <summary>Answers bigger than this are refused (a large cluster's <c>/v2/apps</c> fits easily).</summary>
    public const long MaxBodyBytes = 64L * 1024 * 1024;

    public async Task<ZddHttpAnswer> SendAsync(HttpMethod method, string url, string? jsonBody, bool withCredentials, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.UserAgent.ParseAdd("harrier-zdd");
        if (withCredentials && authorization is not null)
        {
            request.Headers.Authorization = authorization;
        }
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, System.Text.Encoding.UTF8, "application/json");
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (response.Content.Headers.ContentLength > MaxBodyBytes)
            {
                return new ZddHttpAnswer(response.StatusCode, "", $"answer of {response.Content.Headers.ContentLength} bytes is over the {MaxBodyBytes} byte limit");
            }
            var body = await BoundedBody.ReadAsync(response.Content, MaxBodyBytes, deadline.Token);
            return body is null
                ? new ZddHttpAnswer(response.StatusCode, "", $"answer is over the {MaxBodyBytes} byte limit")
                : new ZddHttpAnswer(response.StatusCode, body, null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ZddHttpAnswer(null, "", $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return new ZddHttpAnswer(null, "", e.Message);
        }
        catch (IOException e)
        {
            return new ZddHttpAnswer(null, "", e.Message);
        }
    }
}
