using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Slipway.Api.Auth;
using Slipway.Api.Dashboard.Logs;

namespace Slipway.Api.Dashboard;

/// <summary>
/// The web dashboard: Razor Pages under <c>Dashboard/Pages</c>, served by <c>slipway serve</c> on the API's port.
/// Every page needs a signed-in session (<see cref="SessionAuthentication"/>) except sign-in and setup; every form
/// carries an antiforgery token, which Razor Pages check on each POST; responses forbid framing and anything
/// loaded from another origin, and run no inline script.
/// </summary>
public static class DashboardSetup
{
    /// <summary>What every dashboard page is sent with: nothing from elsewhere, no inline script, no framing.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Dashboard/Pages";
            o.Conventions.AuthorizeFolder("/", SessionAuthentication.DashboardPolicy);
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/Setup");
            o.Conventions.Add(new SessionPageConvention());
        }).ConfigureApplicationPartManager(parts =>
        {
            // `slipway` (the CLI) is the entry assembly; the pages are compiled into this one.
            var assembly = typeof(DashboardSetup).Assembly;
            if (!parts.ApplicationParts.Any(p => p.Name == assembly.GetName().Name))
            {
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                {
                    parts.ApplicationParts.Add(part);
                }
            }
        }).AddCookieTempDataProvider(o =>
        {
            // Carries a created API token's secret across its Post/Redirect/Get, once: encrypted with the data
            // protection keys, HttpOnly, and deleted by the GET that reads it.
            o.Cookie.Name = "slipway_flash";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.IsEssential = true;
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "slipway_csrf";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__csrf";
        });
        services.AddSingleton<DashboardAssets>();
        services.AddSingleton<LogView>();
        return services;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapGet(DashboardAssets.Prefix + "{name}", (HttpContext http, string name, DashboardAssets assets) => assets.Serve(http, name))
            .ExcludeFromDescription().AllowAnonymous();
        app.MapRazorPages();
        return app;
    }

    /// <summary>Headers of every page response (set before the page writes its body).</summary>
    public static void UseDashboardHeaders(this WebApplication app) =>
        app.Use((context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is not null)
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers.XFrameOptions = "DENY";
                // Pages show the team's data; a shared browser's back button must not bring it back from a cache.
                headers.CacheControl = "no-cache, no-store";
                headers.Pragma = "no-cache";
            }

            return next(context);
        });

    /// <summary>Marks every page as taking the session cookie (<see cref="SessionsAllowed"/>).</summary>
    private sealed class SessionPageConvention : Microsoft.AspNetCore.Mvc.ApplicationModels.IPageApplicationModelConvention
    {
        public void Apply(Microsoft.AspNetCore.Mvc.ApplicationModels.PageApplicationModel model) => model.EndpointMetadata.Add(SessionsAllowed.Instance);
    }
}
