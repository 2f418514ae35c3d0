using System.Globalization;
using AnomalyTools.Rules;
using Xunit;

namespace AnomalyTools.Tests.Core;

/// <summary>
/// Every rule at the exact edge of what it can still match, with the periodic state sweep forced to run between the
/// two transactions, so that eviction is seen to keep exactly what can still match and no more.
/// </summary>
public class RuleBoundaryTests
{
    private const int SweepEvery = CustomerStates<object>.SweepEvery;
    private static readonly DateTimeOffset s_start = new(2024, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_tick = TimeSpan.FromTicks(1);

    private static Transaction At(string customer, decimal amount, TimeSpan after) => new("t", customer, amount, s_start + after);

    /// <summary>
    /// Inspects <paramref name="earlier"/>, then transactions of another customer at the latest time so far (judged by
    /// every time rule, moving no time on) until the next one is the rule's sweep, then <paramref name="last"/>: the sweep
    /// runs with the latest time already moved to what <paramref name="last"/> brings.
    /// </summary>
    private static Inspection SweepThenInspect(SuspicionDetector detector, Transaction[] earlier, Transaction last)
    {
        foreach (var transaction in earlier) Assert.False(detector.Inspect(transaction).Late);
        var latest = earlier.Max(transaction => transaction.Timestamp!.Value);
        for (var i = earlier.Length + 1; i < SweepEvery; i++) detector.Inspect(new Transaction("f", "FILLER", 100m, latest));
        var inspection = detector.Inspect(last);
        Assert.False(inspection.Late);
        return inspection;
    }

    private static string[] Rules(Inspection inspection) => inspection.Flagged?.Findings.Select(finding => finding.Rule).ToArray() ?? [];

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    public void SmallThenLarge_pairs_exactly_one_window_apart_when_the_sweep_runs_between(int latenessSeconds)
    {
        var lateness = TimeSpan.FromSeconds(latenessSeconds);
        var rule = new SmallThenLargeRule(1m, 500m, s_window, lateness);
        var detector = new SuspicionDetector([rule], lateness);

        // The small amount one tick too early to pair with anything still to come, the small amount just in time, and the
        // latest time the large one may be behind by the whole allowed lateness.
        var inspection = SweepThenInspect(detector,
            [At("EXPIRED", 0.50m, -s_tick), At("C1", 0.50m, TimeSpan.Zero), At("OTHER", 20m, s_window + lateness)],
            At("C1", 900m, s_window));

        Assert.Equal(["SmallThenLarge"], Rules(inspection));
        // C1 (kept through the sweep), OTHER and FILLER; EXPIRED was dropped.
        Assert.Equal(3, rule.StateCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    public void SmallThenLarge_does_not_pair_one_tick_more_than_a_window_apart_when_the_sweep_runs_between(int latenessSeconds)
    {
        var lateness = TimeSpan.FromSeconds(latenessSeconds);
        var detector = new SuspicionDetector([new SmallThenLargeRule(1m, 500m, s_window, lateness)], lateness);

        var inspection = SweepThenInspect(detector,
            [At("C1", 0.50m, TimeSpan.Zero), At("OTHER", 20m, s_window + s_tick + lateness)],
            At("C1", 900m, s_window + s_tick));

        Assert.Empty(Rules(inspection));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    public void Velocity_counts_a_transaction_one_tick_inside_the_window_when_the_sweep_runs_between(int latenessSeconds)
    {
        var lateness = TimeSpan.FromSeconds(latenessSeconds);
        var rule = new VelocityRule(1, s_window, lateness);
        var detector = new SuspicionDetector([rule], lateness);

        // The window (t - window, t] excludes its start: EXPIRED at exactly the start can no longer count, C1 a tick later can.
        var inspection = SweepThenInspect(detector,
            [At("EXPIRED", 1m, TimeSpan.Zero), At("C1", 1m, s_tick), At("OTHER", 1m, s_window + lateness)],
            At("C1", 1m, s_window));

        Assert.Equal(["Velocity"], Rules(inspection));
        Assert.Equal("2", inspection.Flagged!.Findings[0].Value.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(3, rule.StateCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    public void Velocity_does_not_count_a_transaction_at_the_window_start_when_the_sweep_runs_between(int latenessSeconds)
    {
        var lateness = TimeSpan.FromSeconds(latenessSeconds);
        var detector = new SuspicionDetector([new VelocityRule(1, s_window, lateness)], lateness);

        var inspection = SweepThenInspect(detector,
            [At("C1", 1m, TimeSpan.Zero), At("OTHER", 1m, s_window + lateness)],
            At("C1", 1m, s_window));

        Assert.Empty(Rules(inspection));
    }

    [Fact]
    public void Velocity_keeps_the_times_of_a_customer_that_a_later_window_can_still_reach()
    {
        // Three of C1's times within one window of the last, spread so that a sweep at the last one drops none of them.
        var detector = new SuspicionDetector([new VelocityRule(3, s_window, TimeSpan.Zero)], TimeSpan.Zero);

        var inspection = SweepThenInspect(detector,
            [At("C1", 1m, s_tick), At("C1", 1m, TimeSpan.FromSeconds(20)), At("C1", 1m, TimeSpan.FromSeconds(40))],
            At("C1", 1m, s_window));

        Assert.Equal(["Velocity"], Rules(inspection));
    }

    [Fact]
    public void Outlier_keeps_every_customers_history_however_many_sweeps_pass()
    {
        // Outlier does not work on time: its history is never dropped, even after hours and many sweep intervals.
        var outlier = new OutlierRule(3, minHistory: 3);
        var velocity = new VelocityRule(1_000_000, s_window, TimeSpan.Zero);
        var detector = new SuspicionDetector([outlier, velocity], TimeSpan.Zero);
        foreach (var amount in new[] { 10m, 20m, 30m }) detector.Inspect(At("C1", amount, TimeSpan.Zero));
        for (var i = 0; i < 3 * SweepEvery; i++) detector.Inspect(At("C" + (i + 2), 1m, TimeSpan.FromHours(1) + TimeSpan.FromSeconds(i)));

        var inspection = detector.Inspect(At("C1", 50.01m, TimeSpan.FromHours(3)));

        Assert.Equal(["Outlier"], Rules(inspection));
        Assert.Equal(3 * SweepEvery + 1, outlier.StateCount);
    }

    [Fact]
    public void Threshold_holds_no_state_to_drop()
    {
        var threshold = new ThresholdRule(100m);
        var detector = new SuspicionDetector([threshold, new VelocityRule(1_000_000, s_window, TimeSpan.Zero)], TimeSpan.Zero);

        var inspection = SweepThenInspect(detector, [At("C1", 100m, TimeSpan.Zero)], At("C1", 100.01m, TimeSpan.FromHours(1)));

        Assert.Equal(["Threshold"], Rules(inspection));
        Assert.Equal(0, threshold.StateCount);
    }
}
