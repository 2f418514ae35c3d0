using AnomalyTools.Sources;
using Xunit;

namespace AnomalyTools.Tests.Core;

public class ProgressThrottleTests
{
    [Fact]
    public void Silent_for_the_initial_delay_then_once_an_interval()
    {
        var now = TimeSpan.Zero;
        var throttle = new ProgressThrottle(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(250), () => now);

        Assert.False(throttle.ShouldReport());
        now = TimeSpan.FromSeconds(1.9);
        Assert.False(throttle.ShouldReport());
        Assert.False(throttle.HasReported);
        now = TimeSpan.FromSeconds(2);
        Assert.True(throttle.ShouldReport());
        Assert.True(throttle.HasReported);
        now = TimeSpan.FromSeconds(2.2);
        Assert.False(throttle.ShouldReport());
        now = TimeSpan.FromSeconds(2.25);
        Assert.True(throttle.ShouldReport());
    }
}
