using AnomalyTools.Checkpoints;
using AnomalyTools.Sources;
using AnomalyTools.Sources.Files;
using Xunit;

namespace AnomalyTools.Tests.Core;

/// <summary>Batch reading as a source: one pass over the files that never waits, in the events every source gives.</summary>
public class CsvFileSourceTests : IDisposable
{
    private const string Header = "transaction_id,customer_id,amount\n";
    private readonly TempDirectory _temp = new();

    private static string[] Described(ITransactionSource source) =>
        source.Read(CancellationToken.None).Select(e => e.Kind switch
        {
            SourceEventKind.Record => e.Result.Transaction?.TransactionId ?? e.Result.Error!.Id.ToString(),
            SourceEventKind.InputEnded => "ended " + Path.GetFileName(e.Path),
            SourceEventKind.ReadFailed => "failed " + Path.GetFileName(e.Path) + " " + e.Exception!.GetType().Name,
            _ => e.Kind.ToString(),
        }).ToArray();

    [Fact]
    public void Reads_each_file_once_to_its_end_and_says_when_each_ended()
    {
        var a = _temp.File("a.csv", Header + "1,C1,10\n2,C2,x\n");
        var b = _temp.File("b.csv", Header + "3,C3,30\n");
        using var source = new CsvFileSource([a, b]);

        Assert.Equal(["1", "InvalidAmount", "ended a.csv", "3", "ended b.csv"], Described(source));
    }

    [Fact]
    public void A_file_that_cannot_be_opened_fails_and_ends_and_the_others_go_on()
    {
        var good = _temp.File("good.csv", Header + "1,C1,10\n");
        using var source = new CsvFileSource([_temp.Combine("missing.csv"), good]);

        Assert.Equal(["failed missing.csv FileNotFoundException", "ended missing.csv", "1", "ended good.csv"], Described(source));
    }

    [Fact]
    public void Each_transaction_carries_its_file_position_and_reading_resumes_after_the_line_given()
    {
        var feed = _temp.File("feed.csv", Header + "1,C1,10\n2,C2,20\n3,C3,30\n");
        using var source = new CsvFileSource([feed]) { SkipThroughLineOf = input => 3 };

        var transaction = source.Read(CancellationToken.None).Single(e => e.Kind == SourceEventKind.Record).Result.Transaction!;

        var position = Assert.IsType<FilePosition>(transaction.Position);
        Assert.Equal((feed, 4L, FileFingerprint.Of(feed)), (position.Path, position.Line, position.Fingerprint));
    }

    [Fact]
    public void Progress_comes_every_so_many_records_with_the_bytes_read_of_the_file()
    {
        var rows = string.Concat(Enumerable.Range(1, CsvFileSource.ProgressRecords * 2).Select(i => $"{i},C1,10\n"));
        var feed = _temp.File("feed.csv", Header + rows);
        using var source = new CsvFileSource([feed]);

        var progress = source.Read(CancellationToken.None).Where(e => e.Kind == SourceEventKind.Progress).ToArray();

        Assert.Equal(2, progress.Length);
        Assert.All(progress, e => Assert.Equal(new FileInfo(feed).Length, e.Total));
        Assert.All(progress, e => Assert.InRange(e.Completed, 1, e.Total));
    }

    public void Dispose() => _temp.Dispose();
}
