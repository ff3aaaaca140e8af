using Slipway.Core.Tokens;
using Slipway.Core.Validation;

namespace Slipway.Core.Tests.Validation;

/// <summary>The one set of rules for a new API token that the dashboard's token page and <c>slipway tokens create</c> share.</summary>
public sealed class TokenRulesTests
{
    private const ApiAbility Member = ApiAbility.Read | ApiAbility.Write | ApiAbility.Deploy;

    [Fact]
    public void Check_ValidRequest_ParsesAbilitiesTrimsNameAndReadsDays()
    {
        var errors = TokenRules.Check("  ci  ", ["read", "deploy"], " 30 ", Member, out var request);

        Assert.Empty(errors);
        Assert.Equal(new TokenRules.TokenRequest("ci", ApiAbility.Read | ApiAbility.Deploy, 30), request);
    }

    [Fact]
    public void Check_CommaSeparatedAsTheCliSendsIt_SameAsSeparateNames()
    {
        TokenRules.Check("ci", ["read,deploy"], null, ApiAbility.Root, out var request);

        Assert.Equal(ApiAbility.Read | ApiAbility.Deploy, request!.Abilities);
        Assert.Null(request.ExpiresInDays);
    }

    [Theory]
    [InlineData("read,fly", "Unknown ability: fly;")]
    [InlineData("", TokenRules.NoAbilityMessage)]
    [InlineData(" , ", TokenRules.NoAbilityMessage)]
    [InlineData("read:sensitive", TokenRules.BeyondOwnMessage)]
    [InlineData("root", TokenRules.BeyondOwnMessage)]
    public void Check_BadAbilities_NamedUnderAbilities(string abilities, string message)
    {
        var errors = TokenRules.Check("ci", [abilities], null, Member, out var request);

        Assert.Null(request);
        Assert.StartsWith(message, errors[TokenRules.AbilitiesField], StringComparison.Ordinal);
        Assert.Single(errors);
    }

    [Fact]
    public void Check_RootCreator_MayGiveEveryAbility()
    {
        var errors = TokenRules.Check("ci", ApiAbilities.AllNames, null, ApiAbility.Root, out var request);

        Assert.Empty(errors);
        Assert.True(request!.Abilities.HasFlag(ApiAbility.ReadSensitive));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("3651")]
    [InlineData("1.5")]
    [InlineData("ten")]
    [InlineData("99999999999")]
    public void Check_ExpiryOutsideOneToMax_NamedUnderExpiry(string days)
    {
        var errors = TokenRules.Check("ci", ["read"], days, Member, out var request);

        Assert.Null(request);
        Assert.Equal(TokenRules.ExpiryMessage, errors[TokenRules.ExpiryField]);
    }

    [Fact]
    public void Check_EveryFieldBad_EachNamed()
    {
        var errors = TokenRules.Check("", [], "0", Member, out _);

        Assert.Equal([TokenRules.AbilitiesField, TokenRules.ExpiryField, TokenRules.NameField], errors.Keys.Order(StringComparer.Ordinal));
    }
}
