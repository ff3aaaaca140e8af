using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Slipway.Cli.Client;

/// <summary>
/// The CLI's only way to the server: <c>/api/v1</c> over HTTP with <c>Authorization: Bearer</c>. Reads are
/// retried on connection failures and 502/503/504 (they change nothing); writes are sent once. A server that
/// cannot be reached is a <see cref="CliException"/> with exit code 4.
/// </summary>
internal sealed class SlipwayClient : IDisposable
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    private readonly HttpClient _http;

    public SlipwayClient(ServerTarget target)
    {
        ApiBase = target.ApiBase;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        // Timeouts are per request (streams and long-polls need their own), so the client-wide one is off.
        _http = new HttpClient(handler) { BaseAddress = target.ApiBase, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", target.Token);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("slipway-cli", Version));
    }

    public Uri ApiBase { get; }

    private static string Version => typeof(SlipwayClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public Task<ApiResponse> GetAsync(string path, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        SendAsync(HttpMethod.Get, path, null, retry: true, timeout ?? RequestTimeout, cancellationToken);

    public Task<ApiResponse> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, retry: false, RequestTimeout, cancellationToken);

    /// <summary>Sends <c>GET path</c> asking for <c>text/event-stream</c>; the caller reads (and disposes) the response.</summary>
    public async Task<HttpResponseMessage> OpenEventStreamAsync(string path, int lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId > 0)
        {
            request.Headers.Add("Last-Event-ID", lastEventId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        headers.CancelAfter(RequestTimeout);
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"{ApiBase} did not answer within {RequestTimeout.TotalSeconds:0} s.");
        }
    }

    public void Dispose() => _http.Dispose();

    public CliException Unreachable(Exception ex) => new($"Cannot reach {ApiBase}: {ex.Message}", ExitCodes.Usage);

    private async Task<ApiResponse> SendAsync(HttpMethod method, string path, JsonNode? body, bool retry, TimeSpan timeout, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var retryable = retry && attempt < RetryDelays.Length;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                using var request = new HttpRequestMessage(method, path);
                if (body is not null)
                {
                    request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                }

                using var response = await _http.SendAsync(request, deadline.Token);
                var text = await response.Content.ReadAsStringAsync(deadline.Token);
                if (retryable && response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
                {
                    await Task.Delay(RetryDelays[attempt], cancellationToken);
                    continue;
                }

                return new ApiResponse(response.StatusCode, text);
            }
            catch (HttpRequestException ex)
            {
                if (!retryable)
                {
                    throw Unreachable(ex);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (!retryable)
                {
                    throw new CliException($"{ApiBase} did not answer {method} {path} within {timeout.TotalSeconds:0} s.", ExitCodes.Usage);
                }
            }

            await Task.Delay(RetryDelays[attempt], cancellationToken);
        }
    }
}
