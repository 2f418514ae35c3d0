using AnomalyTools.Rules;
using Xunit;

namespace AnomalyTools.Tests.Core;

public class RuleTests
{
    private static Transaction Transaction(decimal amount) => new("1", "C1", amount);

    [Theory]
    [InlineData("8000.00", false)]
    [InlineData("8000", false)]
    [InlineData("7999.99", false)]
    [InlineData("8000.01", true)]
    [InlineData("9582.15", true)]
    public void The_threshold_is_strictly_greater_than(string amount, bool suspicious)
    {
        var finding = new ThresholdRule().Evaluate(Transaction(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(suspicious, finding != null);
    }

    [Fact]
    public void A_finding_explains_itself()
    {
        var finding = new ThresholdRule(8000m).Evaluate(Transaction(9582.15m))!;

        Assert.Equal(("Threshold", "amount 9582.15 exceeds the threshold 8000", 9582.15m, 8000m), (finding.Rule, finding.Message, finding.Value, finding.Limit));
    }

    [Fact]
    public void The_detector_returns_a_flagged_copy_and_leaves_the_input_unchanged()
    {
        var detector = new SuspicionDetector([new ThresholdRule(100m)]);
        var input = Transaction(150m);

        var flagged = detector.Inspect(input)!;

        Assert.NotSame(input, flagged);
        Assert.Empty(input.Findings);
        Assert.Equal("Threshold", Assert.Single(flagged.Findings).Rule);
        Assert.Null(detector.Inspect(Transaction(100m)));
    }
}
