using Slipway.Core.Applications;

namespace Slipway.Core.Engine;

/// <summary>
/// Which of an application's stored variables a deployment gets. Production gets the production set. A preview (a
/// pull request's code, perhaps a fork's, runs in its build and container) gets only the variables marked
/// <c>is_preview</c>, never production's, and never a locked (<c>is_shown_once</c>) value, preview or not: a locked
/// value is one nobody may read back, and a pull request's Dockerfile could print or send it anywhere. The one default
/// every deployment gets besides is <c>PORT</c> (see <see cref="Steps.StartContainerStep.EnvFile"/>).
/// </summary>
public static class DeploymentVariables
{
    /// <summary>
    /// The variables given to the deployment, sorted by key or (<paramref name="sorted"/> off: the application's
    /// <c>is_env_sorting_enabled</c>) in the order they were added, and the keys of locked preview variables left out of a preview.
    /// </summary>
    public static (IReadOnlyList<EnvironmentVariable> Given, IReadOnlyList<string> LockedLeftOut) Choose(
        IEnumerable<EnvironmentVariable> stored, bool preview, bool sorted = true)
    {
        var own = stored.Where(v => v.IsPreview == preview);
        var set = (sorted ? own.OrderBy(v => v.Key, StringComparer.Ordinal) : own.OrderBy(v => v.Id)).ToList();
        if (!preview)
        {
            return (set, []);
        }

        return (set.Where(v => !v.IsShownOnce).ToList(), set.Where(v => v.IsShownOnce).Select(v => v.Key).ToList());
    }
}
