using System.Xml.Linq;
using AnomalyTools.Tests.Pipelines;
using Xunit;

namespace AnomalyTools.Tests;

/// <summary>
/// The module's views, cell by cell: each column and list item is evaluated by the engine for a flagged transaction.
/// (Format-List is not among the core cmdlets hosted here; the Pester suite renders the views with real pwsh.)
/// </summary>
public class FormatViewTests : IClassFixture<PowerShellFixture>, IDisposable
{
    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();
    private readonly XDocument _views = XDocument.Load(Path.Combine(Path.GetDirectoryName(TestEnvironment.ModuleManifest)!, "AnomalyTools.Format.ps1xml"));

    public FormatViewTests(PowerShellFixture fixture)
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

        Assert.Equal(["AnomalyTools.Transaction", "AnomalyTools.Transaction.List", "AnomalyTools.Finding"], views.Select(v => (string)v.Element("Name")!));
        foreach (var view in views)
        {
            var typeName = (string)view.Element("ViewSelectedBy")!.Element("TypeName")!;
            Assert.Equal(typeName, _shell.Run($"[{typeName}].FullName").Output.Single().ToString());
        }
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
