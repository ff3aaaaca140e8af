using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Slipway.Testing;

/// <summary>One server-sent event as a test reads it: <c>Comment</c> is set for <c>: ...</c> lines instead.</summary>
public sealed record SseEvent(string? Id, string Event, string Data, string? Comment = null)
{
    public bool IsEntry => Event == "entry";

    public bool IsStatus => Event == "status";

    public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();

    public int Order => Json.GetProperty("order").GetInt32();

    public string Status => Json.GetProperty("status").GetString()!;
}

/// <summary>
/// A deliberately plain reader of <c>text/event-stream</c> (line by line, as the spec words it), independent of the
/// CLI's reader, so the wire format is checked by a second implementation.
/// </summary>
public sealed class SseTestClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseTestClient(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpResponseMessage Response => _response;

    public static async Task<SseTestClient> OpenAsync(HttpClient client, string url, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        return new SseTestClient(response, new StreamReader(stream, Encoding.UTF8));
    }

    /// <summary>The next event or comment; null at the end of the stream. Fails after <paramref name="timeout"/>.</summary>
    public async Task<SseEvent?> NextAsync(TimeSpan timeout, bool includeComments = false)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        string? id = null;
        var name = "message";
        var data = new List<string>();
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(cts.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No server-sent event within {timeout}.");
            }

            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    return new SseEvent(id, name, string.Join('\n', data));
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                if (includeComments)
                {
                    return new SseEvent(null, "", "", line[1..].TrimStart());
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    data.Add(value);
                    break;
            }
        }
    }

    /// <summary>Every event until the server closes the stream.</summary>
    public async Task<List<SseEvent>> ReadToEndAsync(TimeSpan timeout)
    {
        var events = new List<SseEvent>();
        while (await NextAsync(timeout) is { } e)
        {
            events.Add(e);
        }

        return events;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
