using System.Text;
using AnomalyTools.Sources;
using AnomalyTools.Sources.Csv;
using Xunit;

namespace AnomalyTools.Tests.Core;

/// <summary>
/// The reader is used from two threads: it parses on one while the caller reads its progress on another. What it
/// shares is made for that: progress is a published value, and the options are its own copy, fixed once reading starts.
/// </summary>
public class ReaderThreadingTests
{
    private static byte[] Rows(int count) =>
        Encoding.UTF8.GetBytes("transaction_id,customer_id,amount\n" + string.Concat(Enumerable.Range(1, count).Select(i => $"{i},C{i % 7},{i}.5\n")));

    [Fact]
    public void Options_changed_after_the_reader_is_made_do_not_change_how_it_reads()
    {
        var columns = new Dictionary<TransactionField, string> { [TransactionField.Amount] = "amount" };
        var options = new TransactionCsvOptions { Columns = new ColumnMap(columns), MaxRecordSize = 1024 };
        using var reader = new TransactionCsvReader(new MemoryStream(Rows(1000)), "t.csv", options);

        options.Delimiter = ';';
        options.MaxRecordSize = 4;
        options.Columns = new ColumnMap(new Dictionary<TransactionField, string> { [TransactionField.Amount] = "nothing" });
        columns[TransactionField.Amount] = "nothing either";
        var results = reader.ReadAll().ToArray();

        Assert.All(results, result => Assert.Null(result.Error));
        Assert.Equal(1000, results.Length);
    }

    [Fact]
    public void The_settings_of_a_reader_cannot_change_once_it_has_started()
    {
        using var reader = new TransactionCsvReader(new MemoryStream(Rows(10)), "t.csv");
        using var results = reader.ReadAll().GetEnumerator();
        results.MoveNext();

        Assert.Throws<InvalidOperationException>(() => reader.SkipThroughLine = 5);
        Assert.Throws<InvalidOperationException>(() => reader.ReportHeaderWarnings = false);
        Assert.Throws<InvalidOperationException>(() => reader.ReadAll());
    }

    [Fact]
    public void A_record_size_limit_that_is_not_positive_is_refused_when_the_reader_is_made()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TransactionCsvReader(new MemoryStream(Rows(1)), "t.csv", new TransactionCsvOptions { MaxRecordSize = 0 }));
    }

    [Fact]
    public void Progress_read_on_the_callers_thread_only_grows_and_ends_at_the_length_of_the_input()
    {
        var bytes = Rows(200_000);
        using var reader = new TransactionCsvReader(new MemoryStream(bytes), "t.csv", new TransactionCsvOptions { ParseAhead = true });
        var seen = new List<long>();

        foreach (var _ in reader.ReadAll()) seen.Add(reader.BytesRead);

        Assert.True(seen.Zip(seen.Skip(1)).All(pair => pair.First <= pair.Second));
        Assert.Equal(bytes.Length, reader.BytesRead);
        Assert.True(seen[0] < bytes.Length);
    }

    [Fact]
    public void Waiting_for_records_parsed_ahead_ends_when_cancelled()
    {
        using var stop = new CancellationTokenSource();
        IEnumerable<int> Stuck()
        {
            yield return 1;
            // The thread that parses is in a long step, which watches the same token.
            stop.Token.WaitHandle.WaitOne();
            stop.Token.ThrowIfCancellationRequested();
        }

        var taking = Task.Run(() => ReadAhead.Enumerate(Stuck(), stop.Token).ToList());
        stop.CancelAfter(TimeSpan.FromMilliseconds(50));

        Assert.Throws<OperationCanceledException>(() => taking.GetAwaiter().GetResult());
    }
}
