using System.Globalization;
using AnomalyTools.Rules;
using Xunit;

namespace AnomalyTools.Tests.Core;

public class RuleSettingsTests
{
    private static RuleSettings AllRulesOn() => new()
    {
        Threshold = 9000.50m,
        Deviation = 2.5,
        MinHistory = 4,
        MaxPerWindow = 3,
        Window = TimeSpan.FromMinutes(10),
        SmallThenLarge = true,
        SmallAmount = 2m,
        LargeAmount = 700m,
        SmallThenLargeWindow = TimeSpan.FromSeconds(90),
        AllowedLateness = TimeSpan.FromSeconds(5),
        IncludeLate = true,
    };

    [Fact]
    public void The_defaults_build_the_threshold_rule_alone()
    {
        var detector = new RuleSettings().CreateDetector();

        var rule = Assert.IsType<ThresholdRule>(Assert.Single(detector.Rules));
        Assert.Equal(8000m, rule.Threshold);
        Assert.False(detector.UsesTime);
    }

    [Fact]
    public void Every_rule_that_is_on_is_built_with_its_settings_in_evaluation_order()
    {
        var detector = AllRulesOn().CreateDetector();

        Assert.Equal(["Threshold", "Outlier", "Velocity", "SmallThenLarge"], detector.Rules.Select(rule => rule.Id));
        var outlier = (OutlierRule)detector.Rules[1];
        var velocity = (VelocityRule)detector.Rules[2];
        var smallThenLarge = (SmallThenLargeRule)detector.Rules[3];
        Assert.Equal((9000.50m, 2.5, 4), (((ThresholdRule)detector.Rules[0]).Threshold, outlier.Deviations, outlier.MinHistory));
        Assert.Equal((3, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5)), (velocity.MaxPerWindow, velocity.Window, velocity.AllowedLateness));
        Assert.Equal((2m, 700m, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(5)),
            (smallThenLarge.SmallAmount, smallThenLarge.LargeAmount, smallThenLarge.Window, smallThenLarge.AllowedLateness));
    }

    [Fact]
    public void No_rule_on_builds_a_detector_without_rules()
    {
        Assert.Empty(new RuleSettings { NoThreshold = true }.CreateDetector().Rules);
    }

    public static TheoryData<RuleSettings, string, object> SettingsThatCannotWork => new()
    {
        { new RuleSettings { Deviation = 0 }, nameof(RuleSettings.Deviation), 0d },
        { new RuleSettings { Deviation = double.PositiveInfinity }, nameof(RuleSettings.Deviation), double.PositiveInfinity },
        { new RuleSettings { Deviation = 3, MinHistory = 1 }, nameof(RuleSettings.MinHistory), 1 },
        { new RuleSettings { MaxPerWindow = 0 }, nameof(RuleSettings.MaxPerWindow), 0 },
        { new RuleSettings { MaxPerWindow = 5, Window = TimeSpan.Zero }, nameof(RuleSettings.Window), TimeSpan.Zero },
        { new RuleSettings { SmallThenLarge = true, SmallThenLargeWindow = TimeSpan.FromSeconds(-1) }, nameof(RuleSettings.SmallThenLargeWindow), TimeSpan.FromSeconds(-1) },
        { new RuleSettings { MaxPerWindow = 5, AllowedLateness = TimeSpan.FromSeconds(-1) }, nameof(RuleSettings.AllowedLateness), TimeSpan.FromSeconds(-1) },
        { new RuleSettings { AllowedLateness = TimeSpan.FromSeconds(-1) }, nameof(RuleSettings.AllowedLateness), TimeSpan.FromSeconds(-1) },
    };

    [Theory]
    [MemberData(nameof(SettingsThatCannotWork))]
    public void A_setting_that_cannot_work_is_refused_by_its_name_and_value(RuleSettings settings, string setting, object value)
    {
        var error = Assert.Throws<InvalidRuleSettingException>(settings.CreateDetector);

        Assert.Equal((setting, value), (error.Setting, error.Value));
        Assert.IsType<ArgumentOutOfRangeException>(error.InnerException);
        Assert.DoesNotContain('\n', error.Reason);
    }

    [Fact]
    public void The_settings_of_a_rule_that_is_off_are_not_validated()
    {
        var detector = new RuleSettings { MinHistory = 0, Window = TimeSpan.Zero, SmallThenLargeWindow = TimeSpan.Zero }.CreateDetector();

        Assert.Single(detector.Rules);
    }

    [Fact]
    public void The_text_of_the_defaults_names_the_threshold_rule()
    {
        Assert.Equal("Threshold(Threshold=8000)", new RuleSettings().ToString());
    }

    [Fact]
    public void The_text_lists_every_rule_that_is_on_with_its_settings_in_order()
    {
        Assert.Equal(
            "Threshold(Threshold=9000.5); Outlier(Deviation=2.5, MinHistory=4); Velocity(MaxPerWindow=3, Window=00:10:00); "
            + "SmallThenLarge(SmallAmount=2, LargeAmount=700, SmallThenLargeWindow=00:01:30); Lateness(AllowedLateness=00:00:05, IncludeLate=true)",
            AllRulesOn().ToString());
    }

    [Fact]
    public void The_text_leaves_out_the_rules_that_are_off_and_their_settings()
    {
        var settings = new RuleSettings { NoThreshold = true, MinHistory = 3, Window = TimeSpan.FromHours(1), SmallAmount = 5m, MaxPerWindow = 2 };

        Assert.Equal("Velocity(MaxPerWindow=2, Window=01:00:00); Lateness(AllowedLateness=00:00:00, IncludeLate=false)", settings.ToString());
    }

    [Fact]
    public void Lateness_is_left_out_without_a_time_rule_since_nothing_is_late()
    {
        var settings = new RuleSettings { Deviation = 3, AllowedLateness = TimeSpan.FromMinutes(1), IncludeLate = true };

        Assert.Equal("Threshold(Threshold=8000); Outlier(Deviation=3, MinHistory=10)", settings.ToString());
    }

    [Theory]
    [InlineData("8000", "8000.00")]
    [InlineData("0.1", "0.10000")]
    [InlineData("-5", "-5.0")]
    public void Amounts_equal_in_value_give_one_text(string amount, string sameAmount)
    {
        var one = new RuleSettings { Threshold = decimal.Parse(amount, CultureInfo.InvariantCulture), SmallThenLarge = true, LargeAmount = decimal.Parse(amount, CultureInfo.InvariantCulture) };
        var other = new RuleSettings { Threshold = decimal.Parse(sameAmount, CultureInfo.InvariantCulture), SmallThenLarge = true, LargeAmount = decimal.Parse(sameAmount, CultureInfo.InvariantCulture) };

        Assert.Equal(one.ToString(), other.ToString());
    }

    [Fact]
    public void The_text_does_not_follow_the_current_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal("Threshold(Threshold=1234.5); Outlier(Deviation=0.25, MinHistory=10)", new RuleSettings { Threshold = 1234.5m, Deviation = 0.25 }.ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    public static TheoryData<string> ChangesThatBuildOtherRules => new()
    {
        nameof(RuleSettings.NoThreshold), nameof(RuleSettings.Threshold), nameof(RuleSettings.Deviation), nameof(RuleSettings.MinHistory),
        nameof(RuleSettings.MaxPerWindow), nameof(RuleSettings.Window), nameof(RuleSettings.SmallThenLarge), nameof(RuleSettings.SmallAmount),
        nameof(RuleSettings.LargeAmount), nameof(RuleSettings.SmallThenLargeWindow), nameof(RuleSettings.AllowedLateness), nameof(RuleSettings.IncludeLate),
    };

    [Theory]
    [MemberData(nameof(ChangesThatBuildOtherRules))]
    public void Changing_any_setting_of_a_rule_that_is_on_changes_the_text(string setting)
    {
        var settings = AllRulesOn();
        Action<RuleSettings> change = setting switch
        {
            nameof(RuleSettings.NoThreshold) => s => s.NoThreshold = true,
            nameof(RuleSettings.Threshold) => s => s.Threshold = 9000.51m,
            nameof(RuleSettings.Deviation) => s => s.Deviation = null,
            nameof(RuleSettings.MinHistory) => s => s.MinHistory = 5,
            nameof(RuleSettings.MaxPerWindow) => s => s.MaxPerWindow = 4,
            nameof(RuleSettings.Window) => s => s.Window = TimeSpan.FromMinutes(11),
            nameof(RuleSettings.SmallThenLarge) => s => s.SmallThenLarge = false,
            nameof(RuleSettings.SmallAmount) => s => s.SmallAmount = 3m,
            nameof(RuleSettings.LargeAmount) => s => s.LargeAmount = 800m,
            nameof(RuleSettings.SmallThenLargeWindow) => s => s.SmallThenLargeWindow = TimeSpan.FromSeconds(91),
            nameof(RuleSettings.AllowedLateness) => s => s.AllowedLateness = TimeSpan.FromSeconds(6),
            _ => s => s.IncludeLate = false,
        };

        change(settings);

        Assert.NotEqual(AllRulesOn().ToString(), settings.ToString());
    }
}
