using Microsoft.Extensions.Time.Testing;
using Xunit;
using TrackRec.Streaming.Lanes;

namespace TrackRec.Streaming.Tests.Lanes;

public sealed class UserBackoffTests
{
    [Fact]
    public void A_failed_user_waits_doubling_delays_up_to_the_cap_and_a_success_ends_it()
    {
        var clock = new FakeTimeProvider();
        var backoff = new UserBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(25), clock);
        Assert.True(backoff.MayRetry("u"));

        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Fail("u", ["generator"]));
        Assert.False(backoff.MayRetry("u"));
        Assert.Equal(["generator"], backoff.FailedRoles("u"));
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(backoff.MayRetry("u"));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(backoff.MayRetry("u"));

        Assert.Equal(TimeSpan.FromSeconds(20), backoff.Fail("u", ["generator"]));
        Assert.Equal(TimeSpan.FromSeconds(25), backoff.Fail("u", ["generator"])); // capped
        Assert.True(backoff.MayRetry("other"));

        backoff.Succeed("u");
        Assert.True(backoff.MayRetry("u"));
        Assert.Empty(backoff.FailedRoles("u"));
    }
}
