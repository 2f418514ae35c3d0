using Xunit;

namespace AnomalyTools.Tests.Pipelines;

/// <summary>The rules beyond the threshold, chosen with Select-SuspiciousTransaction's parameters or a rule file.</summary>
public class RuleSelectionTests : IClassFixture<PowerShellFixture>, IDisposable
{
    // C1: ten ordinary amounts, then an outlier. C2: a card test (0.50, then 900.00 20 s later). C3: six in a minute.
    private const string Feed = """
        transaction_id,customer_id,amount,timestamp
        1,C1,100.00,2024-03-01T10:00:00Z
        2,C1,110.00,2024-03-01T10:01:00Z
        3,C1,90.00,2024-03-01T10:02:00Z
        4,C1,105.00,2024-03-01T10:03:00Z
        5,C1,95.00,2024-03-01T10:04:00Z
        6,C1,100.00,2024-03-01T10:05:00Z
        7,C1,110.00,2024-03-01T10:06:00Z
        8,C1,90.00,2024-03-01T10:07:00Z
        9,C1,105.00,2024-03-01T10:08:00Z
        10,C1,95.00,2024-03-01T10:09:00Z
        11,C1,4200.00,2024-03-01T10:10:00Z
        12,C2,0.50,2024-03-01T10:10:10Z
        13,C2,900.00,2024-03-01T10:10:30Z
        14,C3,10.00,2024-03-01T10:11:00Z
        15,C3,10.00,2024-03-01T10:11:10Z
        16,C3,10.00,2024-03-01T10:11:20Z
        17,C3,10.00,2024-03-01T10:11:30Z
        18,C3,10.00,2024-03-01T10:11:40Z
        19,C3,9000.00,2024-03-01T10:11:50Z

        """;

    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();
    private readonly string _feed;

    public RuleSelectionTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
        _feed = _temp.File("feed.csv", Feed.Replace("\r\n", "\n"));
    }

    public void Dispose() => _temp.Dispose();

    private static string Rules(Transaction t) => string.Join("+", t.Findings.Select(f => f.Rule));

    [Fact]
    public void Every_rule_that_flags_a_transaction_explains_why()
    {
        var result = _shell.Run(
            "Import-Transaction $feed | Select-SuspiciousTransaction -Threshold 8000 -Deviation 3 -MaxPerWindow 5 -Window 00:01:00 -SmallThenLarge",
            new { feed = _feed });

        var flagged = result.Objects<Transaction>();
        Assert.Empty(result.Errors);
        Assert.Equal(["11 Outlier", "13 SmallThenLarge", "19 Threshold+Velocity"], flagged.Select(t => t.TransactionId + " " + Rules(t)));
        var outlier = flagged[0].Findings[0];
        // Deviations from 100: 0, ±10, ±5 twice each... squares sum to 500; sample sd = sqrt(500 / 9) = 7.4536; 4100 / 7.4536 = 550.1.
        Assert.Equal("amount 4200.00 is 550.1 standard deviations above customer C1's mean of 100.00 over 10 earlier transactions", outlier.Message);
        Assert.Equal(10, outlier.Baseline!.Count);
        Assert.Equal("customer C3 made 6 transactions within 00:01:00 up to 2024-03-01T10:11:50Z, more than the 5 allowed", flagged[2].Findings[1].Message);
    }

    [Fact]
    public void NoThreshold_leaves_only_the_rules_asked_for()
    {
        var result = _shell.Run("Import-Transaction $feed | Select-SuspiciousTransaction -NoThreshold -SmallThenLarge", new { feed = _feed });

        Assert.Equal(["13"], result.Objects<Transaction>().Select(t => t.TransactionId));
    }

    [Fact]
    public void Each_setting_parameter_sets_the_rule_setting_of_its_name_with_the_same_default()
    {
        var result = _shell.Run("""
            $type = (Get-Command Select-SuspiciousTransaction).ImplementingType
            $command = [Activator]::CreateInstance($type)
            foreach ($property in $type.GetProperties()) {
                if ($property.Name -notin 'InputObject', 'RuleFile' -and $property.GetCustomAttributes([System.Management.Automation.ParameterAttribute], $true)) {
                    [pscustomobject]@{ Name = $property.Name; Type = $property.PropertyType; Default = $property.GetValue($command) }
                }
            }
            """);
        var defaults = new AnomalyTools.Rules.RuleSettings();
        var settings = typeof(AnomalyTools.Rules.RuleSettings).GetProperties().ToDictionary(property => property.Name);

        var parameters = result.Output.Select(o => (Name: (string)o.Properties["Name"].Value, Type: (Type)o.Properties["Type"].Value, Default: o.Properties["Default"].Value)).ToArray();

        Assert.Equal(settings.Keys.Order(), parameters.Select(parameter => parameter.Name).Order());
        foreach (var parameter in parameters)
        {
            var isSwitch = parameter.Type == typeof(System.Management.Automation.SwitchParameter);
            Assert.Equal(isSwitch ? typeof(bool) : parameter.Type, settings[parameter.Name].PropertyType);
            Assert.Equal(settings[parameter.Name].GetValue(defaults), isSwitch ? ((System.Management.Automation.SwitchParameter)parameter.Default).IsPresent : parameter.Default);
        }
    }

    [Theory]
    [InlineData("-NoThreshold", "NoRuleSelected")]
    [InlineData("-Deviation 0", "InvalidRuleSetting")]
    [InlineData("-Deviation 3 -MinHistory 1", "InvalidRuleSetting")]
    [InlineData("-MaxPerWindow 0", "InvalidRuleSetting")]
    [InlineData("-MaxPerWindow 5 -Window 0", "InvalidRuleSetting")]
    [InlineData("-SmallThenLarge -AllowedLateness -1", "InvalidRuleSetting")]
    public void Settings_that_cannot_work_stop_the_command(string parameters, string errorId)
    {
        var result = _shell.Run("Import-Transaction $feed | Select-SuspiciousTransaction " + parameters, new { feed = _feed }, expectFailure: true);

        Assert.Equal([errorId], result.ErrorIds);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void A_time_rule_reports_a_row_without_timestamp_and_the_other_rules_still_judge_it()
    {
        var feed = _temp.File("untimed.csv", "transaction_id,customer_id,amount,timestamp\n1,C1,9000,\n");

        var result = _shell.Run("Import-Transaction $feed | Select-SuspiciousTransaction -MaxPerWindow 5", new { feed });

        Assert.Equal(["MissingTimestamp"], result.ErrorIds);
        Assert.Equal(feed + ":2", result.Errors[0].TargetObject);
        Assert.Equal("Threshold", Rules(result.Objects<Transaction>().Single()));
    }

    [Fact]
    public void Late_rows_are_counted_in_a_warning_and_can_be_passed_on_marked_late()
    {
        var feed = _temp.File("late.csv", "transaction_id,customer_id,amount,timestamp\n1,C1,5,2024-03-01T10:05:00Z\n2,C1,5,2024-03-01T10:04:30Z\n3,C1,5,2024-03-01T10:00:00Z\n");

        var counted = _shell.Run("Import-Transaction $feed | Select-SuspiciousTransaction -MaxPerWindow 5 -AllowedLateness 60", new { feed });
        var included = _shell.Run("Import-Transaction $feed | Select-SuspiciousTransaction -MaxPerWindow 5 -AllowedLateness 60 -IncludeLate", new { feed });

        Assert.Empty(counted.Output);
        Assert.StartsWith("1 transactions came more than the allowed lateness (00:01:00)", Assert.Single(counted.Warnings));
        var late = included.Objects<Transaction>().Single();
        Assert.Equal(("3", "Late"), (late.TransactionId, Rules(late)));
    }

    [Fact]
    public void A_rule_file_sets_the_rules_and_the_command_line_wins()
    {
        var rules = _temp.File("rules.psd1", "@{ NoThreshold = $true; Deviation = 3; MaxPerWindow = 5; Window = '00:01:00'; SmallThenLarge = $true }");

        var fromFile = _shell.Run("Import-Transaction $feed | Select-SuspiciousTransaction -RuleFile $rules", new { feed = _feed, rules });
        var overridden = _shell.Run("Import-Transaction $feed | Select-SuspiciousTransaction -RuleFile $rules -MaxPerWindow 6", new { feed = _feed, rules });

        Assert.Equal(["11 Outlier", "13 SmallThenLarge", "19 Velocity"], fromFile.Objects<Transaction>().Select(t => t.TransactionId + " " + Rules(t)));
        Assert.Equal(["11", "13"], overridden.Objects<Transaction>().Select(t => t.TransactionId));
    }

    [Theory]
    [InlineData("@{ Threshold = 'bad' }", "-Threshold 100", 1)]
    [InlineData("@{\n    NoThreshold = 'false'\n}", "-NoThreshold:$false", 2)]
    [InlineData("@{\n    MaxPerWindow = 5\n    Window = '1m'\n}", "-Window 00:00:30", 3)]
    [InlineData("@{ Deviation = (Get-Date) }", "-Deviation 3", 1)]
    public void A_rule_file_value_the_command_line_overrides_is_still_refused_when_bad(string content, string parameters, int line)
    {
        var rules = _temp.File("overridden.psd1", content);

        var result = _shell.Run($"Import-Transaction $feed | Select-SuspiciousTransaction -RuleFile $rules {parameters}", new { feed = _feed, rules }, expectFailure: true);

        Assert.Equal(["InvalidRuleFile"], result.ErrorIds);
        Assert.Equal(rules + ":" + line, result.Errors[0].TargetObject);
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("@{ Deviaton = 3 }", "'Deviaton' is not a rule setting")]
    [InlineData("@{ Deviation = 'many' }", "the value of 'Deviation' cannot be used")]
    [InlineData("@{ Deviation = (Get-Date) }", "")]
    [InlineData("Remove-Item ./x", "it does not hold one hashtable")]
    [InlineData("@{ Deviation = 3 ", "line 1")]
    public void A_bad_rule_file_is_an_error_that_names_the_problem(string content, string reason)
    {
        var rules = _temp.File("bad.psd1", content);

        var result = _shell.Run("Import-Transaction $feed | Select-SuspiciousTransaction -RuleFile $rules", new { feed = _feed, rules }, expectFailure: true);

        Assert.Equal(["InvalidRuleFile"], result.ErrorIds);
        Assert.Contains(reason, result.Errors[0].Exception.Message);
    }

    public static TheoryData<string, string, string> RuleFileValues => new()
    {
        { "NoThreshold", "'false'", "-Deviation 3" },
        { "NoThreshold", "'off'", "-Deviation 3" },
        { "NoThreshold", "'no'", "-Deviation 3" },
        { "NoThreshold", "'true'", "-Deviation 3" },
        { "NoThreshold", "''", "-Deviation 3" },
        { "NoThreshold", "$true", "-Deviation 3" },
        { "NoThreshold", "$false", "-Deviation 3" },
        { "NoThreshold", "0", "-Deviation 3" },
        { "NoThreshold", "1", "-Deviation 3" },
        { "NoThreshold", "2.5", "-Deviation 3" },
        { "NoThreshold", "$null", "-Deviation 3" },
        { "NoThreshold", "$true", "" },
        { "SmallThenLarge", "'true'", "" },
        { "SmallThenLarge", "'false'", "" },
        { "SmallThenLarge", "0", "" },
        { "SmallThenLarge", "$true", "" },
        { "IncludeLate", "'no'", "-MaxPerWindow 5" },
        { "Threshold", "'9000'", "" },
        { "Threshold", "9000", "" },
        { "Threshold", "'4199.99'", "" },
        { "Threshold", "'9,000'", "" },
        { "Threshold", "'9.000,5'", "" },
        { "Threshold", "''", "" },
        { "Threshold", "$null", "" },
        { "Threshold", "'1e3'", "" },
        { "Threshold", "1, 2", "" },
        { "Threshold", "'lots'", "" },
        { "Deviation", "'3'", "-NoThreshold" },
        { "Deviation", "3", "-NoThreshold" },
        { "Deviation", "0", "-NoThreshold" },
        { "Deviation", "''", "-NoThreshold" },
        { "Deviation", "'many'", "-NoThreshold" },
        { "Deviation", "$null", "-NoThreshold" },
        { "MinHistory", "'3.5'", "-NoThreshold -Deviation 3" },
        { "MinHistory", "1", "-NoThreshold -Deviation 3" },
        { "MinHistory", "'x'", "-NoThreshold -Deviation 3" },
        { "MaxPerWindow", "'5'", "" },
        { "MaxPerWindow", "0", "" },
        { "MaxPerWindow", "$null", "" },
        { "Window", "5", "-MaxPerWindow 5" },
        { "Window", "'30'", "-MaxPerWindow 5" },
        { "Window", "'00:00:30'", "-MaxPerWindow 5" },
        { "Window", "0", "-MaxPerWindow 5" },
        { "Window", "'soon'", "-MaxPerWindow 5" },
        { "Window", "$null", "-MaxPerWindow 5" },
        { "SmallThenLargeWindow", "30", "-SmallThenLarge" },
        { "SmallThenLargeWindow", "0", "-SmallThenLarge" },
        { "AllowedLateness", "-1", "-MaxPerWindow 5" },
        { "AllowedLateness", "'00:00:30'", "-MaxPerWindow 5" },
        { "SmallAmount", "'1.5'", "-SmallThenLarge" },
        { "SmallAmount", "'x'", "-SmallThenLarge" },
        { "LargeAmount", "800", "-SmallThenLarge" },
    };

    [Theory]
    [MemberData(nameof(RuleFileValues))]
    public void A_rule_file_value_is_taken_or_refused_as_the_same_value_is_on_the_command_line(string setting, string value, string others)
    {
        var rules = _temp.File("same-" + setting + ".psd1", "@{\n    " + setting + " = " + value + "\n}\n");

        var onCommandLine = _shell.Run($"Import-Transaction $feed | Select-SuspiciousTransaction {others} -{setting}:({value})", new { feed = _feed }, expectFailure: true);
        var fromFile = _shell.Run($"Import-Transaction $feed | Select-SuspiciousTransaction {others} -RuleFile $rules", new { feed = _feed, rules }, expectFailure: true);

        if (onCommandLine.Errors.Length == 0)
        {
            Assert.Empty(fromFile.Errors);
            Assert.Equal(Describe(onCommandLine), Describe(fromFile));
        }
        else if (onCommandLine.ErrorIds.SequenceEqual(["NoRuleSelected"]))
        {
            Assert.Equal(["NoRuleSelected"], fromFile.ErrorIds);
        }
        else
        {
            Assert.Equal(["InvalidRuleFile"], fromFile.ErrorIds);
            Assert.Equal(rules + ":2", fromFile.Errors[0].TargetObject);
            Assert.Empty(fromFile.Output);
        }

        static string[] Describe(PipelineResult result) => result.Objects<Transaction>()
            .Select(t => t.TransactionId + " " + string.Join("; ", t.Findings.Select(f => f.Rule + " " + f.Message + " " + string.Join(",", f.Settings.Select(s => s.Key + "=" + s.Value)))))
            .ToArray();
    }

    [Theory]
    [InlineData("@{\n    Deviation = 3\n    NoThreshold = 'false'\n}\n", 3)]
    [InlineData("@{\n    Deviation = 3\n\n    Treshold = 9000\n}\n", 4)]
    [InlineData("@{\n    NoThreshold = $true\n    Deviation = 3\n    MinHistory = 1\n}\n", 4)]
    [InlineData("@{\n    SmallThenLarge = $true\n    SmallThenLargeWindow = 0\n    Window = 0\n}\n", 3)]
    [InlineData("@{\n    MaxPerWindow = 5\n    SmallThenLarge = 1\n    Window = '-00:00:01'\n}\n", 4)]
    [InlineData("@{\n    Deviation = (Get-Date)\n}\n", 2)]
    [InlineData("@{ Deviation = 3; NoThreshold = 'off' }", 1)]
    public void A_rule_file_refusal_names_the_line_of_the_key_at_fault(string content, int line)
    {
        var rules = _temp.File("lines.psd1", content);

        var result = _shell.Run("Import-Transaction $feed | Select-SuspiciousTransaction -RuleFile $rules", new { feed = _feed, rules }, expectFailure: true);

        Assert.Equal(["InvalidRuleFile"], result.ErrorIds);
        Assert.Equal(rules + ":" + line, result.Errors[0].TargetObject);
    }

    [Fact]
    public void JsonLines_carries_each_findings_settings_and_baseline()
    {
        var output = _temp.Combine("out");

        _shell.Run("Import-Transaction $feed | Select-SuspiciousTransaction -NoThreshold -Deviation 3 | Export-SuspiciousTransaction $out -Format JsonLines",
            new { feed = _feed, @out = output });

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllLines(Path.Combine(output, "part-0-00000")).Single());
        var finding = json.RootElement.GetProperty("findings")[0];
        Assert.Equal("3", finding.GetProperty("settings").GetProperty("Deviation").GetString());
        Assert.Equal(10, finding.GetProperty("baseline").GetProperty("count").GetInt32());
        Assert.Equal(100.0, finding.GetProperty("baseline").GetProperty("mean").GetDouble(), 9);
    }
}
