using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Slipway.Api.Hosting;

public static class IdleMemoryTrimExtensions
{
    /// <summary>Adds <see cref="IdleMemoryTrimmer"/>, and a first middleware that tells it when requests start and end.</summary>
    public static IServiceCollection AddIdleMemoryTrim(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IProcessMemory, RuntimeProcessMemory>();
        services.AddSingleton<IdleMemoryTrimmer>();
        services.AddHostedService(sp => sp.GetRequiredService<IdleMemoryTrimmer>());
        services.AddTransient<IStartupFilter, NoteRequests>();
        return services;
    }

    private sealed class NoteRequests(IdleMemoryTrimmer trimmer) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // Start and end both: a request that runs for longer than the quiet period (a followed log) is not idle.
            app.Use(async (context, nextMiddleware) =>
            {
                trimmer.NoteActivity();
                try
                {
                    await nextMiddleware(context);
                }
                finally
                {
                    trimmer.NoteActivity();
                }
            });
            next(app);
        };
    }
}
