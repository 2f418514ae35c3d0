using System.Xml.Linq;
using AnomalyTools.Tests.Pipelines;
using AnomalyTools.Values;
using Xunit;

namespace AnomalyTools.Tests;

/// <summary>
/// The module's views, cell by cell: each column and list item is evaluated by the engine for a flagged transaction;
/// and rendered whole by Format-Table, Format-List and Out-String, for data that holds what a terminal would obey.
/// </summary>
public class FormatViewTests : IClassFixture<RenderingFixture>, IDisposable
{
    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();
    private readonly XDocument _views = XDocument.Load(Path.Combine(Path.GetDirectoryName(TestEnvironment.ModuleManifest)!, "AnomalyTools.Format.ps1xml"));

    public FormatViewTests(RenderingFixture fixture)
    {
        _shell = fixture.Session;
    }

    [Fact]
    public void The_list_view_shows_every_field_with_one_line_per_finding()
    {
        var cells = Cells("AnomalyTools.Transaction.List", "ListItem", FlaggedTransaction());

        Assert.Equal(
            [
                ("TransactionId", "3"),
                ("CustomerId", "C1"),
                ("Amount", "9000.50"),
                ("Timestamp", "2024-03-01 10:02:00 +00:00"),
                ("Attributes", "merchant = Acme Tools\ncategory = hardware"),
                ("Source", _temp.Combine("data.csv") + ":4"),
                ("Findings", "Threshold: amount 9000.50 exceeds the threshold 8000\nOutlier: amount 9000.50 is 6356.5 standard deviations above customer C1's mean of 11.00 over 2 earlier transactions"),
            ],
            cells);
    }

    [Fact]
    public void The_table_view_shows_the_amount_as_written_and_the_findings_on_one_line()
    {
        var cells = Cells("AnomalyTools.Transaction", "TableColumnItem", FlaggedTransaction());

        Assert.Equal(
            ["3", "C1", "9000.50", "2024-03-01 10:02:00Z",
             "amount 9000.50 exceeds the threshold 8000; amount 9000.50 is 6356.5 standard deviations above customer C1's mean of 11.00 over 2 earlier transactions"],
            cells.Select(c => c.Value));
    }

    [Fact]
    public void The_findings_table_shows_rule_value_limit_and_message()
    {
        var finding = _shell.Run("$transaction.Findings[0]", new { transaction = FlaggedTransaction() }).Output.Single();

        var cells = Cells("AnomalyTools.Finding", "TableColumnItem", finding);

        Assert.Equal(["Threshold", "9000.50", "8000", "amount 9000.50 exceeds the threshold 8000"], cells.Select(c => c.Value));
    }

    [Fact]
    public void Every_view_names_its_columns_and_selects_a_type_of_the_module()
    {
        var views = _views.Descendants("View").ToList();

        Assert.Equal(["AnomalyTools.Transaction", "AnomalyTools.Transaction.List", "AnomalyTools.Finding", "AnomalyTools.Finding.List"], views.Select(v => (string)v.Element("Name")!));
        foreach (var view in views)
        {
            var typeName = (string)view.Element("ViewSelectedBy")!.Element("TypeName")!;
            Assert.Equal(typeName, _shell.Run($"[{typeName}].FullName").Output.Single().ToString());
        }
    }

    /// <summary>What a terminal obeys or reorders by, each inside an id, a customer, an attribute, a source and a finding.</summary>
    public static TheoryData<string, string> Hostile() => new()
    {
        { "\u001b[2J\u001b[HALL CLEAR", "\\u001b[2J\\u001b[HALL CLEAR" },
        { "\u001b]0;title\u0007", "\\u001b]0;title\\u0007" },
        { "bell\u0007", "bell\\u0007" },
        { "nul\u0000", "nul\\u0000" },
        { "del\u007f", "del\\u007f" },
        { "csi\u009b31m", "csi\\u009b31m" },
        { "nel\u0085", "nel\\u0085" },
        { "line\nbreak\r", "line\\nbreak\\r" },
        { "tab\there", "tab\\there" },
        { "txt\u202egpj.exe", "txt\\u202egpj.exe" },
        { "\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d" },
        { "\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069" },
        { "\u200e\u200f\u061c", "\\u200e\\u200f\\u061c" },
        { "para\u2028\u2029", "para\\u2028\\u2029" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void The_table_view_shows_control_and_bidirectional_characters_escaped(string hostile, string shown)
    {
        var text = Render("$item | Format-Table -AutoSize | Out-String -Width 1000", HostileTransaction(hostile));

        AssertEscaped(text, shown, times: 3);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void The_default_view_shows_control_and_bidirectional_characters_escaped(string hostile, string shown)
    {
        var text = Render("$item | Out-String -Width 1000", HostileTransaction(hostile));

        AssertEscaped(text, shown, times: 3);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void The_list_view_shows_control_and_bidirectional_characters_escaped(string hostile, string shown)
    {
        var text = Render("$item | Format-List | Out-String -Width 1000", HostileTransaction(hostile));

        // The id, the customer, the attribute's name and value, the source, the finding's rule and message.
        AssertEscaped(text, shown, times: 7);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void The_findings_view_shows_control_and_bidirectional_characters_escaped(string hostile, string shown)
    {
        var text = Render("$item.Findings | Format-Table -AutoSize | Out-String -Width 1000", HostileTransaction(hostile));

        AssertEscaped(text, shown, times: 2);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void The_findings_list_view_shows_control_and_bidirectional_characters_escaped(string hostile, string shown)
    {
        var text = Render("$item.Findings | Format-List | Out-String -Width 1000", HostileTransaction(hostile));

        // The finding's rule and message, and its setting's name and value.
        AssertEscaped(text, shown, times: 4);
    }

    [Fact]
    public void The_findings_list_view_shows_every_property_of_a_finding()
    {
        var text = Render("$item.Findings | Format-List | Out-String -Width 1000", FlaggedTransaction());

        Assert.Contains("Rule     : Threshold", text);
        Assert.Contains("Message  : amount 9000.50 exceeds the threshold 8000", text);
        Assert.Contains("Limit    : 8000", text);
        Assert.Contains("Settings : Threshold = 8000", text);
        Assert.Contains("Baseline : mean 11 and standard deviation", text);
    }

    [Fact]
    public void The_objects_keep_the_raw_values_the_views_escape()
    {
        var hostile = "\u001b[2J\u202e";
        var transaction = (Transaction)HostileTransaction(hostile);

        var result = _shell.Run("$item | Format-Table | Out-Null; $item.TransactionId; $item.Attributes['x' + $raw]; $item.Findings[0].Message", new { item = transaction, raw = hostile });

        Assert.Empty(result.Errors);
        Assert.Equal(["id" + hostile, "v" + hostile, "message " + hostile], result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Text_without_anything_to_escape_is_shown_as_it_is()
    {
        const string plain = "C:\\data\\in.csv caf\u00e9 \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627";

        Assert.Same(plain, DisplayText.Escape(plain));
        Assert.Equal(string.Empty, DisplayText.Escape(null));
    }

    /// <summary>
    /// A flagged transaction with <paramref name="hostile"/> in its id, customer, attribute name and value, source,
    /// and finding (rule and message), made directly so that any character, even one no file name may hold, is there.
    /// </summary>
    private static object HostileTransaction(string hostile)
    {
        var attributes = new AttributeMap(new AttributeSchema(["x" + hostile]), ["v" + hostile]);
        return new Transaction("id" + hostile, "c" + hostile, 9000m, new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.Zero), attributes, "in" + hostile + ".csv", 2)
            .WithFindings([new Finding("Rule" + hostile, "message " + hostile, 9000m, 8000m, new Dictionary<string, string> { ["s" + hostile] = "v" + hostile })]);
    }

    /// <summary>
    /// The text <paramref name="script"/> renders, with ANSI output on as on a terminal (so that the engine strips
    /// nothing) and the engine's own table and list styles off (so that every escape character would be the data's).
    /// </summary>
    private string Render(string script, object item)
    {
        var result = _shell.Run(
            "$saved = $PSStyle.OutputRendering, $PSStyle.Formatting.TableHeader, $PSStyle.Formatting.FormatAccent; " +
            "try { $PSStyle.OutputRendering = 'Ansi'; $PSStyle.Formatting.TableHeader = ''; $PSStyle.Formatting.FormatAccent = ''; " + script + " } " +
            "finally { $PSStyle.OutputRendering, $PSStyle.Formatting.TableHeader, $PSStyle.Formatting.FormatAccent = $saved }",
            new { item });
        Assert.Empty(result.Errors);
        // The one escape sequence the engine writes itself with its styles off: the reset after each header.
        return string.Concat(result.Output.Select(o => o.ToString())).Replace("\u001b[0m", "");
    }

    private static void AssertEscaped(string text, string shown, int times)
    {
        var unsafeCharacters = text.Where(c => c != '\n' && c != '\r' && LineEscaping.MustEscape(c)).Select(c => ((int)c).ToString("x4"));
        Assert.Empty(unsafeCharacters);
        Assert.Equal(times, text.Split(shown).Length - 1);
    }

    private object FlaggedTransaction()
    {
        _temp.File("data.csv",
            "transaction_id,customer_id,amount,timestamp,merchant,category\n" +
            "1,C1,10.00,2024-03-01T10:00:00Z,Acme Tools,hardware\n" +
            "2,C1,12.00,2024-03-01T10:01:00Z,Acme Tools,hardware\n" +
            "3,C1,9000.50,2024-03-01T10:02:00Z,Acme Tools,hardware\n");
        var result = _shell.Run("Import-Transaction $path | Select-SuspiciousTransaction -Deviation 3 -MinHistory 2", new { path = _temp.Combine("data.csv") });
        Assert.Empty(result.Errors);
        return result.Output.Single();
    }

    /// <summary>Each cell of a view for one object: its label (or property name) and the text the engine makes of it.</summary>
    private List<(string Label, string Value)> Cells(string viewName, string itemElement, object input)
    {
        var view = _views.Descendants("View").Single(v => (string)v.Element("Name")! == viewName);
        return view.Descendants(itemElement).Select(item =>
        {
            var property = (string?)item.Element("PropertyName");
            var script = property is null ? (string)item.Element("ScriptBlock")! : "$_." + property;
            var value = _shell.Run("$item | ForEach-Object ([scriptblock]::Create($script))", new { item = input, script });
            Assert.Empty(value.Errors);
            return ((string?)item.Element("Label") ?? property!, string.Join("\n", value.Output.Select(o => o?.ToString())));
        }).ToList();
    }

    public void Dispose() => _temp.Dispose();
}

/// <summary>One session for the view tests, which render the module's views with pwsh's formatting cmdlets as a terminal would get them.</summary>
public sealed class RenderingFixture : IDisposable
{
    public PowerShellSession Session { get; } = new();

    public void Dispose() => Session.Dispose();
}
