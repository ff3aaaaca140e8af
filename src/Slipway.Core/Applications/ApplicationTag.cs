namespace Slipway.Core.Applications;

public sealed class ApplicationTag
{
    public long ApplicationId { get; set; }
    public long TagId { get; set; }
    public Tag? Tag { get; set; }
}
