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

        var flagged = detector.Inspect(input).Flagged!;

        Assert.NotSame(input, flagged);
        Assert.Empty(input.Findings);
        Assert.Equal("Threshold", Assert.Single(flagged.Findings).Rule);
        Assert.Equal("100", flagged.Findings[0].Settings["Threshold"]);
        Assert.Null(detector.Inspect(Transaction(100m)).Flagged);
    }

    private static readonly DateTimeOffset s_start = new(2024, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static Transaction At(string customer, decimal amount, double seconds, string id = "t") =>
        new(id, customer, amount, s_start.AddSeconds(seconds));

    [Theory]
    [InlineData("50.00", false)]
    [InlineData("50.01", true)]
    [InlineData("-100", false)]
    public void Outlier_flags_strictly_more_than_k_sample_standard_deviations_above_the_mean(string amount, bool suspicious)
    {
        // History 10, 20, 30: mean 20, sample variance ((-10)^2 + 0 + 10^2) / 2 = 100, so sd 10; k = 3 puts the limit at 50.
        var rule = new OutlierRule(deviations: 3, minHistory: 3);
        foreach (var earlier in new[] { 10m, 20m, 30m }) Assert.Null(rule.Evaluate(new Transaction("h", "C1", earlier)));

        var finding = rule.Evaluate(new Transaction("x", "C1", decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(suspicious, finding != null);
    }

    [Fact]
    public void Outlier_explains_with_the_customers_baseline()
    {
        var rule = new OutlierRule(deviations: 3, minHistory: 3);
        foreach (var earlier in new[] { 10m, 20m, 30m }) rule.Evaluate(new Transaction("h", "C012", earlier));

        var finding = rule.Evaluate(new Transaction("x", "C012", 71.00m))!;

        Assert.Equal("amount 71.00 is 5.1 standard deviations above customer C012's mean of 20.00 over 3 earlier transactions", finding.Message);
        Assert.Equal(("Outlier", 71.00m, 50m), (finding.Rule, finding.Value, finding.Limit));
        Assert.Equal((3L, 20.0, 10.0), (finding.Baseline!.Count, finding.Baseline.Mean, finding.Baseline.StandardDeviation));
        Assert.Equal(("3", "3"), (finding.Settings["Deviation"], finding.Settings["MinHistory"]));
    }

    [Fact]
    public void Outlier_waits_for_the_minimum_history_and_each_transaction_joins_it_after_being_judged()
    {
        var rule = new OutlierRule(deviations: 1, minHistory: 3);

        Assert.Null(rule.Evaluate(new Transaction("1", "C1", 10m)));
        Assert.Null(rule.Evaluate(new Transaction("2", "C1", 20m)));
        Assert.Null(rule.Evaluate(new Transaction("3", "C1", 1000m)));
        Assert.Null(rule.Evaluate(new Transaction("4", "C2", 5000m)));
        // History 10, 20, 1000: mean 343.33, sd 568.7; limit 912.0.
        Assert.NotNull(rule.Evaluate(new Transaction("5", "C1", 913m)));
        Assert.Equal(2, rule.StateCount);
    }

    [Fact]
    public void Outlier_with_no_spread_in_the_history_flags_any_larger_amount()
    {
        var rule = new OutlierRule(deviations: 3, minHistory: 2);
        rule.Evaluate(new Transaction("1", "C1", 10m));
        rule.Evaluate(new Transaction("2", "C1", 10m));

        Assert.Null(rule.Evaluate(new Transaction("3", "C1", 10.00m)));
        Assert.Equal("amount 10.01 is above customer C1's earlier amounts, all 10.00, over 3 earlier transactions",
            rule.Evaluate(new Transaction("4", "C1", 10.01m))!.Message);
    }

    [Fact]
    public void Outlier_stays_accurate_over_a_million_amounts_with_a_large_offset()
    {
        // Welford's method: the naive sum of squares loses every digit of a 0.5 spread around 1e9.
        var rule = new OutlierRule(deviations: 3, minHistory: 10);
        for (var i = 0; i < 1_000_000; i++) rule.Evaluate(new Transaction("h", "C1", 1_000_000_000m + (i % 2 == 0 ? -0.5m : 0.5m)));

        Assert.Null(rule.Evaluate(new Transaction("x", "C1", 1_000_000_001.49m)));
        var finding = rule.Evaluate(new Transaction("y", "C1", 1_000_000_001.51m))!;
        Assert.Equal(0.5, finding.Baseline!.StandardDeviation, 4);
    }

    [Theory]
    [InlineData(59.9, true)]
    [InlineData(60.0, false)]
    [InlineData(75.0, false)]
    public void Velocity_counts_the_current_transaction_in_the_trailing_window(double fourthAt, bool suspicious)
    {
        // Three transactions at 0, 10 and 20 s; the fourth's window (t - 60 s, t] holds it and those after t - 60 s.
        var rule = new VelocityRule(3, TimeSpan.FromSeconds(60), TimeSpan.Zero);
        foreach (var seconds in new[] { 0.0, 10, 20 }) Assert.Null(rule.Evaluate(At("C1", 5m, seconds)));

        Assert.Equal(suspicious, rule.Evaluate(At("C1", 5m, fourthAt)) != null);
    }

    [Fact]
    public void Velocity_window_excludes_its_start_and_explains_the_count()
    {
        var rule = new VelocityRule(2, TimeSpan.FromMinutes(1), TimeSpan.Zero);
        rule.Evaluate(At("C7", 1m, 0));
        rule.Evaluate(At("C7", 1m, 30));

        Assert.Null(rule.Evaluate(At("C7", 1m, 60)));
        var finding = rule.Evaluate(At("C7", 1m, 61))!;

        Assert.Equal("customer C7 made 3 transactions within 00:01:00 up to 2024-03-01T10:01:01Z, more than the 2 allowed", finding.Message);
        Assert.Equal((3m, 2m), (finding.Value, finding.Limit));
        Assert.Null(rule.Evaluate(At("C8", 1m, 61)));
    }

    [Fact]
    public void Velocity_counts_a_late_transaction_by_its_own_time()
    {
        var rule = new VelocityRule(1, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));
        rule.Evaluate(At("C1", 1m, 100));
        Assert.Null(rule.Evaluate(At("C1", 1m, 5)));

        Assert.Null(rule.Evaluate(At("C1", 1m, 50)));
        Assert.NotNull(rule.Evaluate(At("C1", 1m, 8)));
    }

    [Theory]
    [InlineData("0.99", "500.01", 60, true)]
    [InlineData("1.00", "500.01", 60, false)]
    [InlineData("0.99", "500.00", 60, false)]
    [InlineData("0.99", "500.01", 60.001, false)]
    public void SmallThenLarge_boundaries(string small, string large, double after, bool suspicious)
    {
        var rule = new SmallThenLargeRule(1.00m, 500.00m, TimeSpan.FromMinutes(1), TimeSpan.Zero);
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        Assert.Null(rule.Evaluate(At("C1", decimal.Parse(small, invariant), 0)));

        Assert.Equal(suspicious, rule.Evaluate(At("C1", decimal.Parse(large, invariant), after)) != null);
    }

    [Fact]
    public void SmallThenLarge_needs_the_small_amount_right_before_from_the_same_customer()
    {
        var rule = new SmallThenLargeRule(1.00m, 500.00m, TimeSpan.FromMinutes(1), TimeSpan.Zero);
        rule.Evaluate(At("C1", 0.50m, 0));
        rule.Evaluate(At("C2", 900m, 1));
        rule.Evaluate(At("C1", 20m, 2));

        Assert.Null(rule.Evaluate(At("C1", 900m, 3)));
        rule.Evaluate(At("C1", 0.50m, 4));
        var finding = rule.Evaluate(At("C1", 812.00m, 46))!;
        Assert.Equal("amount 812.00 above 500.00 came 00:00:42 after amount 0.50 below 1.00 from the same customer C1", finding.Message);
    }

    [Fact]
    public void The_detector_skips_time_rules_for_late_and_untimed_transactions_and_counts_the_late_ones()
    {
        var detector = new SuspicionDetector([new ThresholdRule(100m), new VelocityRule(1, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30))], TimeSpan.FromSeconds(30));
        detector.Inspect(At("C1", 1m, 60));
        detector.Inspect(At("C1", 1m, 100));

        var withinLateness = detector.Inspect(At("C1", 1m, 71));
        var late = detector.Inspect(At("C1", 500m, 69));
        var untimed = detector.Inspect(new Transaction("u", "C1", 500m));

        Assert.Equal("Velocity", Assert.Single(withinLateness.Flagged!.Findings).Rule);
        Assert.True(late.Late);
        Assert.Equal("Threshold", Assert.Single(late.Flagged!.Findings).Rule);
        Assert.True(untimed.MissingTimestamp);
        Assert.Equal("Threshold", Assert.Single(untimed.Flagged!.Findings).Rule);
        Assert.Equal(1, detector.LateCount);
    }

    [Fact]
    public void Late_transactions_can_be_passed_on_with_a_late_finding()
    {
        var detector = new SuspicionDetector([new VelocityRule(5, TimeSpan.FromMinutes(1), TimeSpan.Zero)], TimeSpan.Zero, includeLate: true);
        detector.Inspect(At("C1", 1m, 60));

        var late = detector.Inspect(At("C1", 1m, 0)).Flagged!;

        var finding = Assert.Single(late.Findings);
        Assert.Equal("Late", finding.Rule);
        Assert.Equal("timestamp 2024-03-01T10:00:00Z is 00:01:00 behind the latest 2024-03-01T10:01:00Z, more than the allowed lateness 00:00:00: the time rules did not judge it", finding.Message);
    }

    [Fact]
    public void State_stays_bounded_over_a_million_transactions_of_100000_customers()
    {
        var velocity = new VelocityRule(5, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));
        var smallThenLarge = new SmallThenLargeRule(1m, 500m, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));
        var outlier = new OutlierRule(3);
        var detector = new SuspicionDetector([outlier, velocity, smallThenLarge], TimeSpan.FromSeconds(30));
        var random = new Random(7);
        var maxTimeState = 0;
        for (var i = 0; i < 1_000_000; i++)
        {
            // 100 transactions a second, customers drawn from 100,000: a customer is active for a while, then quiet.
            detector.Inspect(At("C" + random.Next(100_000), random.Next(1, 1000), i / 100.0));
            maxTimeState = Math.Max(maxTimeState, Math.Max(velocity.StateCount, smallThenLarge.StateCount));
        }

        Assert.InRange(outlier.StateCount, 99_000, 100_000);
        // At most the customers seen within window + lateness + one sweep interval (4096 transactions): 90 s x 100/s + 4096.
        Assert.InRange(maxTimeState, 1, 9_000 + 4_096);
    }
}
