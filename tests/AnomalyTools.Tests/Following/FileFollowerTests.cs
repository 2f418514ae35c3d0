using System.Collections.Concurrent;
using System.Text;
using AnomalyTools.Sources;
using AnomalyTools.Sources.Csv;
using AnomalyTools.Sources.Files;
using Xunit;

namespace AnomalyTools.Tests.Following;

/// <summary>A follower running on its own thread, as a pipeline would run it, with what it reported so far.</summary>
internal sealed class RunningFollower : IDisposable
{
    private static TimeSpan Deadline => Eventually.Deadline;

    private readonly CancellationTokenSource _stop = new();
    private readonly BlockingCollection<SourceEvent> _events = new();
    private readonly List<SourceEvent> _seen = [];
    private readonly Thread _thread;
    private int _recordsFollowed;

    public RunningFollower(FileFollower follower, Func<IEnumerable<string>>? discover = null)
    {
        _thread = new Thread(() =>
        {
            try
            {
                foreach (var followEvent in follower.Follow(discover, _stop.Token))
                {
                    if (followEvent.Kind == SourceEventKind.CaughtUp) CaughtUpAfter.Enqueue(_recordsFollowed);
                    else _events.Add(followEvent);
                    if (followEvent.Kind == SourceEventKind.Record) _recordsFollowed++;
                }
            }
            catch (OperationCanceledException)
            {
                Cancelled = true;
            }
            finally
            {
                _events.CompleteAdding();
            }
        });
        _thread.Start();
    }

    public bool Cancelled { get; private set; }

    /// <summary>How many records had been followed at each <see cref="SourceEventKind.CaughtUp"/>, which <see cref="Seen"/> leaves out.</summary>
    public ConcurrentQueue<int> CaughtUpAfter { get; } = new();

    public IReadOnlyList<SourceEvent> Seen => _seen;

    public IEnumerable<Transaction> Transactions =>
        _seen.Where(e => e.Result.Transaction != null).Select(e => e.Result.Transaction!);

    /// <summary>Takes events until <paramref name="condition"/> holds of all seen so far; fails after a generous deadline.</summary>
    public void WaitFor(Func<IReadOnlyList<SourceEvent>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition(_seen))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_events.TryTake(out var next, left))
            {
                Assert.Fail($"Waited {Deadline.TotalSeconds} s for {what}; saw: {Describe()}");
                return;
            }
            _seen.Add(next);
        }
    }

    public void WaitForIds(params string[] ids) =>
        WaitFor(_ => Transactions.Select(t => t.TransactionId).SequenceEqual(ids), "transactions " + string.Join(",", ids));

    /// <summary>Waits for following to end by itself (an idle timeout), taking every remaining event.</summary>
    public void WaitForEnd()
    {
        Assert.True(_thread.Join(Deadline), "following did not end");
        _seen.AddRange(_events);
    }

    public string Describe() => string.Join("; ", _seen.Select(e =>
        e.Kind == SourceEventKind.Record
            ? e.Result.Transaction?.TransactionId ?? e.Result.Error!.Id.ToString()
            : e.Kind + " " + Path.GetFileName(e.Path)));

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(Deadline);
        _stop.Dispose();
    }
}

public class FileFollowerTests : IDisposable
{
    private const string Header = "transaction_id,customer_id,amount,note\n";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static void Append(string path, string text, Encoding? encoding = null) => Feed.Append(path, text, encoding);

    // One look at the files, driven by the test rather than by following's waits: each record as its id or error id, other events as their kind.
    private static string[] Polled(FileFollower follower) =>
        follower.PollOnce().Select(e => e.Kind == SourceEventKind.Record
            ? e.Result.Transaction?.TransactionId ?? e.Result.Error!.Id.ToString()
            : e.Kind.ToString()).ToArray();

    private static FileFollower Follower(TimeSpan? idleTimeout = null) =>
        new(options: new FollowOptions { IdleTimeout = idleTimeout, DiscoveryInterval = TimeSpan.FromMilliseconds(50), ReplacementCheckInterval = TimeSpan.FromMilliseconds(20) });

    [Fact]
    public void A_growing_record_over_the_size_limit_is_read_past_in_pieces_and_the_rows_after_it_are_followed()
    {
        var feed = _temp.File("feed.csv", Header + "1,C1,10.00,a\n2,C2,20.00,\"opened");
        using var follower = new FileFollower(new TransactionCsvOptions { MaxRecordSize = 64 * 1024 }, new FollowOptions());
        follower.Add(feed);
        using var running = new RunningFollower(follower);
        running.WaitForIds("1");

        // More than one look at the file takes (1 MB), so the record is seen incomplete and over the limit.
        var piece = new string('x', 40 * 1024) + "\n";
        for (var i = 0; i < 75; i++) Append(feed, piece);
        Append(feed, "closed\"\n3,C3,30.00,c\n");

        running.WaitForIds("1", "3");
        var error = Assert.Single(running.Seen, e => e.Result.Error != null).Result.Error!;
        Assert.Equal((ImportErrorId.RecordTooLarge, 3L), (error.Id, error.LineNumber));
        Assert.Equal(79L, running.Transactions.Last().LineNumber);
    }

    [Fact]
    public void Reads_the_file_then_rows_appended_to_it_with_their_lines()
    {
        var feed = _temp.File("feed.csv", Header + "1,C1,10.00,a\n");
        using var follower = Follower();
        follower.Add(feed);
        using var running = new RunningFollower(follower);
        running.WaitForIds("1");

        Append(feed, "2,C2,9000.00,b\n3,C3,5.00,c\n");

        running.WaitForIds("1", "2", "3");
        Assert.Equal([2L, 3L, 4L], running.Transactions.Select(t => t.LineNumber));
        Assert.Equal(9000.00m, running.Transactions.ElementAt(1).Amount);
        Assert.Equal(SourceEventKind.Started, running.Seen[0].Kind);
    }

    [Fact]
    public void Catching_up_after_records_is_reported_once_before_following_waits()
    {
        var feed = _temp.File("feed.csv", Header + "1,C1,10.00,a\n");
        using var follower = Follower();
        follower.Add(feed);

        Assert.Equal(["Started", "1"], Polled(follower));
        Assert.Equal(["CaughtUp"], Polled(follower));
        Assert.Empty(Polled(follower));
        Append(feed, "2,C2,9000.00,b\n3,C3,5.00,c\n");
        Assert.Equal(["2", "3"], Polled(follower));
        Assert.Equal(["CaughtUp"], Polled(follower));
        Assert.Empty(Polled(follower));
    }

    [Fact]
    public void A_line_split_across_writes_is_emitted_once_whole()
    {
        var feed = _temp.File("feed.csv", Header);
        using var follower = Follower();
        follower.Add(feed);
        Assert.Equal(["Started"], Polled(follower));

        Append(feed, "1,C1,90");
        Assert.Empty(Polled(follower));
        Append(feed, "00.5");
        Assert.Empty(Polled(follower));
        Append(feed, "0,x\n");
        var events = follower.PollOnce();

        Assert.Equal(9000.50m, Assert.Single(events).Result.Transaction!.Amount);
    }

    [Fact]
    public void A_quoted_line_break_split_across_writes_is_held_until_the_quote_closes()
    {
        var feed = _temp.File("feed.csv", Header);
        using var follower = Follower();
        follower.Add(feed);
        Assert.Equal(["Started"], Polled(follower));

        Append(feed, "1,C1,8500.00,\"first line\n");
        Assert.Empty(Polled(follower));
        Append(feed, "second line\"\n2,C2,1.00,x\n");
        var transactions = follower.PollOnce().Select(e => e.Result.Transaction!).ToArray();

        Assert.Equal(["1", "2"], transactions.Select(t => t.TransactionId));
        Assert.Equal("first line\nsecond line", transactions[0].Attributes["note"]);
        Assert.Equal([2L, 4L], transactions.Select(t => t.LineNumber));
    }

    [Fact]
    public void Bad_rows_are_errors_with_their_lines_and_following_goes_on()
    {
        var feed = _temp.File("feed.csv", Header + "1,C1,abc,x\n");
        using var follower = Follower();
        follower.Add(feed);
        using var running = new RunningFollower(follower);

        Append(feed, "2,C2,1.00\n3,C3,5.00,x\n");

        running.WaitForIds("3");
        var errors = running.Seen.Where(e => e.Result.Error != null).Select(e => (e.Result.Error!.Id, e.Result.Error.LineNumber));
        Assert.Equal([(ImportErrorId.InvalidAmount, 2L), (ImportErrorId.FieldCountMismatch, 3L)], errors);
    }

    [Fact]
    public void A_truncated_file_is_read_again_from_the_top()
    {
        var feed = _temp.File("feed.csv", Header + "1,C1,10.00,a\n2,C2,20.00,b\n");
        using var follower = Follower();
        follower.Add(feed);
        using var running = new RunningFollower(follower);
        running.WaitForIds("1", "2");

        using (var stream = new FileStream(feed, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.SetLength(0);
        }
        Append(feed, Header + "3,C3,30.00,c\n");

        running.WaitForIds("1", "2", "3");
        Assert.Contains(running.Seen, e => e.Kind == SourceEventKind.Truncated);
        Assert.Equal(2L, running.Transactions.Last().LineNumber);
    }

    [Fact]
    public void A_file_rotated_by_rename_and_recreate_is_drained_then_the_new_one_read_from_the_top()
    {
        var feed = _temp.File("feed.csv", Header + "1,C1,10.00,a\n");
        using var follower = Follower();
        follower.Add(feed);
        using var running = new RunningFollower(follower);
        running.WaitForIds("1");

        File.Move(feed, _temp.Combine("feed.csv.1"));
        Append(_temp.Combine("feed.csv.1"), "2,C2,20.00,b\n");
        running.WaitForIds("1", "2");
        File.WriteAllText(feed, Header + "3,C3,30.00,c\n");

        running.WaitForIds("1", "2", "3");
        Assert.Equal(SourceEventKind.Replaced, running.Seen.Last(e => e.Kind != SourceEventKind.Record).Kind);
        Assert.Equal(2L, running.Transactions.Last().LineNumber);
    }

    [Fact]
    public void The_idle_timeout_ends_following_and_reports_an_incomplete_last_record()
    {
        var feed = _temp.File("feed.csv", Header + "1,C1,10.00,a\n2,C2,99");
        using var follower = Follower(idleTimeout: TimeSpan.FromMilliseconds(300));
        follower.Add(feed);
        using var running = new RunningFollower(follower);

        running.WaitForEnd();

        Assert.False(running.Cancelled);
        Assert.Equal(["1"], running.Transactions.Select(t => t.TransactionId));
        var incomplete = running.Seen.Last();
        Assert.Equal((SourceEventKind.IncompleteRecord, 3L), (incomplete.Kind, incomplete.LineNumber));
    }

    [Fact]
    public void Cancelling_stops_following()
    {
        var feed = _temp.File("feed.csv", Header);
        using var follower = Follower();
        follower.Add(feed);
        var running = new RunningFollower(follower);

        running.Dispose();

        Assert.True(running.Cancelled);
    }

    [Fact]
    public void Follows_several_files_and_picks_up_new_ones_that_discovery_finds()
    {
        var a = _temp.File("a.csv", Header + "a1,C1,1.00,x\n");
        var b = _temp.File("b.csv", Header);
        using var follower = Follower();
        follower.Add(a);
        follower.Add(b);
        var discovered = new List<string>();
        using var running = new RunningFollower(follower, () => { lock (discovered) return discovered.ToArray(); });
        running.WaitForIds("a1");

        Append(b, "b1,C1,2.00,x\n");
        running.WaitForIds("a1", "b1");
        var c = _temp.File("c.csv", Header + "c1,C1,3.00,x\n");
        lock (discovered) discovered.AddRange([a, c]);
        running.WaitForIds("a1", "b1", "c1");
        Append(a, "a2,C1,4.00,x\n");

        running.WaitForIds("a1", "b1", "c1", "a2");
        Assert.Equal([a, b, c], running.Seen.Where(e => e.Kind == SourceEventKind.Started).Select(e => e.Path));
        Assert.Equal(["a.csv", "b.csv", "c.csv", "a.csv"], running.Transactions.Select(t => Path.GetFileName(t.Source)));
    }

    [Fact]
    public void A_header_without_a_required_column_is_one_error_and_the_file_is_no_longer_followed()
    {
        var feed = _temp.File("feed.csv", "id,amount\n");
        using var follower = Follower(idleTimeout: TimeSpan.FromMilliseconds(300));
        follower.Add(feed);
        using var running = new RunningFollower(follower);

        running.WaitForEnd();
        Append(feed, "1,5\n");

        Assert.Equal([ImportErrorId.MissingRequiredColumn], running.Seen.Where(e => e.Result.Error != null).Select(e => e.Result.Error!.Id));
    }

    [Fact]
    public void A_header_written_in_pieces_is_waited_for()
    {
        var feed = _temp.File("feed.csv", "transaction_id,cust");
        using var follower = Follower();
        follower.Add(feed);
        Assert.Equal(["Started"], Polled(follower));
        Assert.Empty(Polled(follower));

        Append(feed, "omer_id,amount\n1,C1,5.00\n");

        Assert.Equal(["1"], Polled(follower));
    }

    [Theory]
    [InlineData("utf-8-bom")]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    public void Follows_files_with_a_byte_order_mark(string name)
    {
        Encoding encoding = name switch
        {
            "utf-8-bom" => new UTF8Encoding(true),
            "utf-16" => new UnicodeEncoding(false, true),
            _ => new UnicodeEncoding(true, true),
        };
        var feed = _temp.Combine("feed.csv");
        File.WriteAllBytes(feed, [.. encoding.GetPreamble(), .. encoding.GetBytes(Header + "1,Ç1,10.00,\"a\nb\"\n")]);
        using var follower = Follower();
        follower.Add(feed);
        var first = follower.PollOnce().Single(e => e.Kind == SourceEventKind.Record).Result.Transaction!;

        Append(feed, "2,C2,9000", encoding);
        Assert.DoesNotContain(follower.PollOnce(), e => e.Kind == SourceEventKind.Record);
        Append(feed, ".00,é\n", encoding);
        var second = Assert.Single(follower.PollOnce()).Result.Transaction!;

        Assert.Equal(("Ç1", "a\nb"), (first.CustomerId, first.Attributes["note"]));
        Assert.Equal(("2", "é", 4L), (second.TransactionId, second.Attributes["note"], second.LineNumber));
    }

    [Fact]
    public void A_file_that_cannot_be_opened_is_reported_and_the_others_go_on()
    {
        var good = _temp.File("good.csv", Header + "1,C1,1.00,x\n");
        using var follower = Follower();
        follower.Add(_temp.Combine("missing.csv"));
        follower.Add(good);
        using var running = new RunningFollower(follower);

        running.WaitForIds("1");

        var failed = Assert.Single(running.Seen, e => e.Kind == SourceEventKind.ReadFailed);
        Assert.IsType<FileNotFoundException>(failed.Exception);
    }
}
