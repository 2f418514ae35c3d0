using AnomalyTools.Rules;
using Xunit;

namespace AnomalyTools.Tests.Core;

/// <summary>What the README settles where the rules could be read more than one way.</summary>
public class RuleSemanticsTests
{
    private static readonly DateTimeOffset s_start = new(2024, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_lateness = TimeSpan.FromSeconds(30);

    private static Transaction At(string customer, decimal amount, double seconds) => new("t", customer, amount, s_start.AddSeconds(seconds));

    private static SuspicionDetector SmallThenLarge(bool includeLate = false) =>
        new([new SmallThenLargeRule(1m, 500m, TimeSpan.FromMinutes(1), s_lateness)], s_lateness, includeLate);

    [Fact]
    public void SmallThenLarge_a_late_transaction_does_not_become_the_previous_one()
    {
        var detector = SmallThenLarge(includeLate: true);
        detector.Inspect(At("C1", 0.50m, 40));
        detector.Inspect(At("C2", 20m, 100));

        var late = detector.Inspect(At("C1", 20m, 50));
        var large = detector.Inspect(At("C1", 900m, 90)).Flagged!;

        Assert.True(late.Late);
        Assert.Equal(["Late"], late.Flagged!.Findings.Select(finding => finding.Rule));
        Assert.Equal("amount 900 above 500 came 00:00:50 after amount 0.50 below 1 from the same customer C1", Assert.Single(large.Findings).Message);
    }

    [Fact]
    public void SmallThenLarge_a_transaction_without_a_timestamp_does_not_become_the_previous_one()
    {
        var detector = SmallThenLarge();
        detector.Inspect(At("C1", 0.50m, 0));

        var untimed = detector.Inspect(new Transaction("u", "C1", 20m));
        var large = detector.Inspect(At("C1", 900m, 30)).Flagged!;

        Assert.True(untimed.MissingTimestamp);
        Assert.Equal("amount 900 above 500 came 00:00:30 after amount 0.50 below 1 from the same customer C1", Assert.Single(large.Findings).Message);
    }

    [Fact]
    public void SmallThenLarge_a_transaction_within_the_lateness_becomes_the_previous_one_even_when_it_is_earlier()
    {
        // Arrival order decides: the 20.00 at 40 s came after the small amount at 50 s, so it is the previous one.
        var detector = SmallThenLarge();
        detector.Inspect(At("C1", 0.50m, 50));
        detector.Inspect(At("C2", 20m, 60));

        Assert.Null(detector.Inspect(At("C1", 20m, 40)).Flagged);
        Assert.Null(detector.Inspect(At("C1", 900m, 70)).Flagged);
    }

    [Fact]
    public void SmallThenLarge_a_large_amount_earlier_than_the_small_one_does_not_pair_with_it()
    {
        var detector = SmallThenLarge();
        detector.Inspect(At("C1", 0.50m, 50));

        Assert.Null(detector.Inspect(At("C1", 900m, 45)).Flagged);
    }

    [Fact]
    public void Without_a_time_rule_nothing_is_late()
    {
        var detector = new SuspicionDetector([new ThresholdRule(100m), new OutlierRule(3, 3)], TimeSpan.Zero, includeLate: true);
        detector.Inspect(At("C1", 1m, 3600));

        var earlier = detector.Inspect(At("C1", 1m, 0));
        var untimed = detector.Inspect(new Transaction("u", "C1", 150m));

        Assert.False(detector.UsesTime);
        Assert.False(earlier.Late);
        Assert.Null(earlier.Flagged);
        Assert.False(untimed.MissingTimestamp);
        Assert.Equal(["Threshold"], untimed.Flagged!.Findings.Select(finding => finding.Rule));
        Assert.Equal(0, detector.LateCount);
    }

    [Theory]
    // 0.1, 0.2, 0.3: mean 0.2 and sd 0.1 exactly, so k = 2 puts the limit at exactly 0.4; in double precision it is
    // 0.39999999999999997, and 0.40 is flagged.
    [InlineData(new[] { "0.1", "0.2", "0.3" }, 2.0, "0.40", true)]
    [InlineData(new[] { "0.1", "0.2", "0.3" }, 2.0, "0.39", false)]
    // 10.1, 10.2, 10.3 with k = 3: exactly 10.5; in double precision 10.500000000000004, and 10.50 is not flagged.
    [InlineData(new[] { "10.1", "10.2", "10.3" }, 3.0, "10.50", false)]
    [InlineData(new[] { "10.1", "10.2", "10.3" }, 3.0, "10.500000000000006", true)]
    // Whole numbers: exact in double precision too, so the tie is not flagged (the README's example).
    [InlineData(new[] { "10", "20", "30" }, 3.0, "50.00", false)]
    public void Outlier_decides_a_tie_at_exactly_k_standard_deviations_in_double_precision(string[] history, double deviations, string amount, bool flagged)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var rule = new OutlierRule(deviations, minHistory: history.Length);
        foreach (var earlier in history) Assert.Null(rule.Evaluate(new Transaction("h", "C1", decimal.Parse(earlier, invariant))));

        Assert.Equal(flagged, rule.Evaluate(new Transaction("t", "C1", decimal.Parse(amount, invariant))) != null);
    }
}
