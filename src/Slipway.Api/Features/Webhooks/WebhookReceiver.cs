using Slipway.Api.Http;
using Slipway.Core.Applications;
using Slipway.Core.Secrets;
using Slipway.Core.Webhooks;
using Slipway.Infrastructure.Data;
using static Slipway.Api.Features.Webhooks.WebhookDeliveryLog;

namespace Slipway.Api.Features.Webhooks;

/// <summary>
/// Handles one delivery: read the exact bytes, check the signature header's form, read the payload, find the
/// applications connected to its repository and keep those whose secret verifies the signature. None → 401 and
/// nothing queued (the same answer whether or not such an application exists). Then, one delivery id at a time,
/// each application's earlier final answer is reused, and the others are acted on. Every delivery is recorded:
/// verified ones in their applications' histories, refused ones apart (<see cref="RefusedDeliveryLog"/>).
/// </summary>
public sealed partial class WebhookReceiver(
    SlipwayDbContext db,
    ISecretProtector protector,
    WebhookExecutor executor,
    WebhookDeliveryLog log,
    RefusedDeliveryLog refused,
    DeliveryLocks locks,
    ILogger<WebhookReceiver> logger)
{
    public const string TooManyRefusedMessage = "Too many refused deliveries from this address: it is not heard again for a minute.";

    public async Task<IResult> ReceiveAsync(GitProvider provider, HttpContext http, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var body = await WebhookBody.ReadAsync(request, cancellationToken);
        var envelope = new Envelope(provider.Name, WebhookBody.Header(request, provider.EventHeader) ?? string.Empty, WebhookBody.DeliveryId(provider, request, body));
        if (body is null)
        {
            return await RejectAsync(http, envelope, WebhookResults.Invalid, StatusCodes.Status413PayloadTooLarge,
                $"The webhook body is larger than {WebhookBody.MaxBytes / (1024 * 1024)} MB.", cancellationToken);
        }

        var signature = request.Headers[provider.SignatureHeader].ToString();
        if (WebhookSignature.CheckFormat(provider.Scheme, provider.SignatureHeader, signature) is { } signatureProblem)
        {
            return await RejectAsync(http, envelope, WebhookResults.Unauthorized, StatusCodes.Status401Unauthorized, signatureProblem, cancellationToken);
        }

        var (document, problem) = WebhookBody.Parse(body, request.ContentType);
        if (document is null)
        {
            return await RejectAsync(http, envelope, WebhookResults.Invalid, StatusCodes.Status400BadRequest, problem!, cancellationToken);
        }

        using (document)
        {
            var delivery = provider.Parse(envelope.Event, document.RootElement);
            envelope = envelope with
            {
                Event = delivery.Name,
                Action = delivery.Action,
                Repository = delivery.RepositoryName ?? (delivery.RepositoryUrls.Count > 0 ? delivery.RepositoryUrls[0] : null),
                Branch = delivery.RecordedBranch,
                PullRequestId = delivery.Kind == WebhookEventKind.PullRequest ? delivery.PullRequestId : null,
                Commit = delivery.RecordedCommit,
            };
            var candidates = await WebhookCandidates.FindAsync(db, delivery.RepositoryUrls, cancellationToken);
            var verified = candidates
                .Where(a => WebhookSignature.Verify(provider.Scheme, body, WebhookCandidates.Secret(a, provider.Name, protector), signature))
                .ToList();
            if (verified.Count == 0)
            {
                return await RefuseAsync(http, provider, delivery, envelope, candidates, cancellationToken);
            }

            await using (await locks.AcquireAsync($"{provider.Name}\n{envelope.DeliveryId}", cancellationToken))
            {
                return await ProcessAsync(http, delivery, envelope, verified, cancellationToken);
            }
        }
    }

    private async Task<IResult> ProcessAsync(
        HttpContext http, WebhookEvent delivery, Envelope envelope, IReadOnlyList<Application> verified, CancellationToken cancellationToken)
    {
        var answered = await log.FindAnsweredAsync(envelope.Provider, envelope.DeliveryId, verified.Select(a => a.Id).ToList(), cancellationToken);
        var outcomes = new List<(WebhookOutcome Outcome, int? StatusCode)>();
        foreach (var application in verified)
        {
            if (answered.TryGetValue(application.Id, out var earlier))
            {
                var uuids = earlier.DeploymentUuids?.Split(',') ?? [];
                outcomes.Add((new WebhookOutcome(application, earlier.Result, earlier.Message, uuids), earlier.StatusCode));
                continue;
            }

            var outcome = delivery.Problem is { } problem
                ? new WebhookOutcome(application, WebhookResults.Invalid, problem, [])
                : await executor.RunAsync(application, delivery, cancellationToken);
            outcomes.Add((outcome, null));
        }

        var fresh = outcomes.Where(o => o.StatusCode is null).Select(o => o.Outcome).ToList();
        var status = StatusOf(outcomes.Select(o => o.StatusCode ?? StatusOf(o.Outcome.Result)));
        if (fresh.Count > 0)
        {
            await log.RecordAsync(envelope, fresh.Select(o => new Row(o.Application.Id, true, o.Result, o.Message, status, o.DeploymentUuids)).ToList(), cancellationToken);
        }

        var replayed = fresh.Count == 0;
        if (replayed)
        {
            http.Response.Headers["Slipway-Delivery-Replayed"] = "true";
        }

        if (status == StatusCodes.Status429TooManyRequests)
        {
            http.Response.Headers.RetryAfter = "60";
        }

        LogDelivery(logger, envelope.Provider, envelope.Event, envelope.DeliveryId, status, replayed);
        var results = outcomes.Select(o => o.Outcome.ToResponse(envelope.PullRequestId)).ToList();
        return TypedResults.Json(new WebhookResponse(Summary(results), envelope.Provider, envelope.Event, envelope.DeliveryId, replayed, results),
            SlipwayJson.Options, statusCode: status);
    }

    /// <summary>
    /// No application verified the signature. An unsupported event that names no repository cannot be attributed or
    /// verified and asks for nothing: it is answered "ignored". Everything else is 401, recorded (apart from the
    /// applications' histories) for each application connected to the repository — with the same answer when there is none.
    /// </summary>
    private async Task<IResult> RefuseAsync(
        HttpContext http, GitProvider provider, WebhookEvent delivery, Envelope envelope, IReadOnlyList<Application> candidates, CancellationToken cancellationToken)
    {
        if (delivery.Kind == WebhookEventKind.Unsupported && delivery.RepositoryUrls.Count == 0)
        {
            var ignored = $"Event '{delivery.Name}' is not supported; ignored.";
            if (!await refused.TryRecordAsync(envelope, http.Connection.RemoteIpAddress, [new Row(null, false, WebhookResults.Ignored, ignored, StatusCodes.Status200OK, [])], cancellationToken))
            {
                return TooMany(http, envelope);
            }

            return TypedResults.Json(new WebhookResponse(ignored, envelope.Provider, envelope.Event, envelope.DeliveryId, false, []), SlipwayJson.Options);
        }

        var message = $"Invalid signature: no application connected to this repository accepted it. Check that the webhook's secret equals the "
            + $"application's {WebhookCandidates.SecretField(provider.Name)} and that its git_repository names this repository.";
        IReadOnlyList<Row> rows = candidates.Count == 0
            ? [new Row(null, false, WebhookResults.Unauthorized, message, StatusCodes.Status401Unauthorized, [])]
            : candidates.Select(a => new Row(a.Id, false, WebhookResults.Unauthorized, message, StatusCodes.Status401Unauthorized, [])).ToList();
        return await RefuseWithAsync(http, envelope, rows, StatusCodes.Status401Unauthorized, message, cancellationToken);
    }

    private Task<IResult> RejectAsync(HttpContext http, Envelope envelope, string result, int status, string message, CancellationToken cancellationToken) =>
        RefuseWithAsync(http, envelope, [new Row(null, false, result, message, status, [])], status, message, cancellationToken);

    /// <summary>Records a refusal and answers it; a sender over its rate of refusals gets 429 instead, and nothing is recorded or logged.</summary>
    private async Task<IResult> RefuseWithAsync(HttpContext http, Envelope envelope, IReadOnlyList<Row> rows, int status, string message, CancellationToken cancellationToken)
    {
        if (!await refused.TryRecordAsync(envelope, http.Connection.RemoteIpAddress, rows, cancellationToken))
        {
            return TooMany(http, envelope);
        }

        LogDelivery(logger, envelope.Provider, envelope.Event, envelope.DeliveryId, status, false);
        return ApiResults.Error(status, message);
    }

    /// <summary>429 in the receivers' documented shape (as a full queue's), with nothing verified and no results.</summary>
    private static IResult TooMany(HttpContext http, Envelope envelope)
    {
        http.Response.Headers.RetryAfter = "60";
        return TypedResults.Json(new WebhookResponse(TooManyRefusedMessage, envelope.Provider, envelope.Event, envelope.DeliveryId, false, []),
            SlipwayJson.Options, statusCode: StatusCodes.Status429TooManyRequests);
    }

    private static int StatusOf(string result) => result switch
    {
        WebhookResults.Failed => StatusCodes.Status500InternalServerError,
        WebhookResults.QueueFull => StatusCodes.Status429TooManyRequests,
        WebhookResults.Invalid => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status200OK,
    };

    /// <summary>The answer's status: the most serious of the applications' (failure, then full queue, then a bad payload).</summary>
    private static int StatusOf(IEnumerable<int> statuses)
    {
        var all = statuses.ToList();
        int[] order = [StatusCodes.Status500InternalServerError, StatusCodes.Status429TooManyRequests, StatusCodes.Status422UnprocessableEntity];
        return order.FirstOrDefault(all.Contains, StatusCodes.Status200OK);
    }

    private static string Summary(IReadOnlyList<WebhookResultResponse> results)
    {
        var messages = results.Select(r => r.Message).Distinct(StringComparer.Ordinal).ToList();
        return messages.Count <= 3 ? string.Join(" ", messages) : $"{results.Count(r => r.Result == WebhookResults.Queued)} deployment(s) queued for {results.Count} applications.";
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Webhook {Provider} {Event} delivery {DeliveryId}: {StatusCode} (replayed: {Replayed}).")]
    private static partial void LogDelivery(ILogger logger, string provider, string @event, string deliveryId, int statusCode, bool replayed);
}
