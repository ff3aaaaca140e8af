using Slipway.Api.Http;
using Slipway.Core.Webhooks;

namespace Slipway.Api.Features.Webhooks;

/// <summary>
/// The git providers' webhook receivers, on Coolify's paths and outside the token-authenticated <c>/api/v1</c>:
/// a delivery proves itself with the application's per-provider secret instead (see <see cref="WebhookReceiver"/>).
/// </summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/webhooks/source").WithTags("Webhooks");
        foreach (var provider in GitProvider.All)
        {
            group.MapPost($"/{provider.Name}/events/manual", (HttpContext http, WebhookReceiver receiver, CancellationToken cancellationToken) =>
                    receiver.ReceiveAsync(provider, http, cancellationToken))
                .WithName($"webhook-{provider.Name}-manual")
                .WithSummary($"Receive a {provider.Name} webhook ({provider.SignatureHeader}).")
                .Produces<WebhookResponse>()
                .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
                .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
                .Produces<ErrorResponse>(StatusCodes.Status413PayloadTooLarge)
                .Produces<WebhookResponse>(StatusCodes.Status422UnprocessableEntity)
                .Produces<WebhookResponse>(StatusCodes.Status429TooManyRequests)
                .Produces<WebhookResponse>(StatusCodes.Status500InternalServerError);
        }

        return app;
    }

    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        var previews = new Previews.PreviewOptions();
        configuration.GetSection(Previews.PreviewOptions.SectionName).Bind(previews);
        services.AddSingleton(previews);
        services.AddSingleton<Previews.PreviewService>();
        var webhooks = new WebhookOptions();
        configuration.GetSection(WebhookOptions.SectionName).Bind(webhooks);
        services.AddSingleton(webhooks);
        services.AddSingleton<RefusedDeliveryLog>();
        services.AddSingleton<DeliveryLocks>();
        services.AddSingleton<WebhookDeliveryLog>();
        services.AddScoped<WebhookExecutor>();
        services.AddScoped<WebhookReceiver>();
        return services;
    }
}
