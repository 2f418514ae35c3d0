using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using AnomalyTools.Checkpoints;
using AnomalyTools.Sources;
using AnomalyTools.Sources.Csv;
using AnomalyTools.Sources.Files;

namespace AnomalyTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Streams transactions CSV files into typed transaction objects; with -Wait, follows them as they grow.</para>
    /// <para type="description">
    /// Import-Transaction reads CSV files one record at a time, in constant memory, and emits an
    /// AnomalyTools.Transaction object for each row: TransactionId, CustomerId, Amount (an exact decimal, never binary
    /// floating point), Timestamp (optional), Attributes (every other column, read-only), Source and LineNumber.
    /// </para>
    /// <para type="description">
    /// Columns are matched by header name, ignoring case, underscores, hyphens and spaces, so transaction_id,
    /// TransactionId and "Transaction ID" all work; -ColumnMap names columns that are called otherwise. Amounts are read
    /// with the invariant culture unless -Culture is given, whose group separators are read only where it puts them; an
    /// amount that a decimal cannot hold digit for digit is rejected, not rounded. Timestamps are ISO 8601 (no offset
    /// means UTC; eight digits such as 20240301 are its basic date, never epoch seconds) or Unix epoch seconds. Files are RFC 4180 CSV in UTF-8 (with or without a byte order mark) or UTF-16 with a byte order mark.
    /// </para>
    /// <para type="description">
    /// A row that cannot be read (a required value missing, an amount or timestamp that does not parse, a wrong number
    /// of fields) is skipped with a non-terminating error that names the file, the line, the column, the value and what
    /// was expected; the rest of the file is still read. A file that cannot be read at all is reported and the other
    /// files go on. -QuarantinePath also writes each bad row to a CSV file, and -MaxErrors and -MaxErrorRate stop the
    /// import once too many rows are bad. A column named twice in the header is renamed (merchant_2) with a warning.
    /// </para>
    /// <para type="description">
    /// With -Wait, the files are followed after their end, as tail -F does: each appended row is emitted once its line is
    /// complete, a truncated or replaced file is read again from the top with a warning, and files that come to match a
    /// wildcard are read too. Ctrl+C or -IdleTimeout ends following.
    /// </para>
    /// <para type="description">
    /// With -ResumeFrom, reading starts after what an Export-SuspiciousTransaction output folder has committed: each
    /// committed part records how far it covers every input file, so a pipeline stopped or killed at any moment and
    /// started again with the same command writes every suspicious row exactly once. Rows before the resume point are
    /// read past without being emitted, so rules with per-customer state (velocity, outlier, small-then-large) do not see
    /// them after a restart.
    /// </para>
    /// <para type="description">
    /// With -BootstrapServer, -Topic and -GroupId, messages of Kafka topics are read instead of files, as a member of the
    /// consumer group: each message's value is a JSON object whose fields are matched by name as CSV headers are (other
    /// fields go to Attributes; a JSON number is read from its digits), or with -Header one CSV record. Each transaction's
    /// Source is the message's topic/partition@offset and its Message property holds the topic, partition, offset,
    /// timestamp and key. A bad message is a row error whose target is its topic/partition@offset, and the partition goes
    /// on. The group's offsets are committed for what was handed down the pipeline, so the same command run again reads
    /// only what came since; with Export-SuspiciousTransaction -BootstrapServer in the pipeline, only through alerts the
    /// brokers acknowledged (at least once), and with -ResumeFrom from the output's checkpoint (exactly once into part files). -StopAtEnd ends at the end offsets found when the partitions were assigned; otherwise reading
    /// goes on until Ctrl+C or -IdleTimeout. Kafka needs PowerShell 7.4 or later.
    /// </para>
    /// </summary>
    /// <example>
    /// <title>Read the bundled sample</title>
    /// <code>Import-Transaction ./data/data.csv</code>
    /// <para>
    /// Emits one transaction per row of the sample, in file order. Rows 9 and 25 of the sample lack a required value:
    /// each is reported as a MissingRequiredValue error naming the file and line, and the other rows still come through.
    /// </para>
    /// </example>
    /// <example>
    /// <title>Read every CSV file a wildcard matches, and filter with PowerShell</title>
    /// <code>Import-Transaction -Path ./data/*.csv | Where-Object { $_.CustomerId -eq 'C012' }</code>
    /// <para>
    /// Reads each matching file in turn. The objects are ordinary PowerShell objects: Where-Object, Sort-Object and
    /// Group-Object work on their properties, and Amount compares as a number.
    /// </para>
    /// </example>
    /// <example>
    /// <title>Read the files that Get-ChildItem finds</title>
    /// <code>Get-ChildItem -Path ./data -Filter *.csv | Import-Transaction | Where-Object { $_.Amount -gt 9500 }</code>
    /// <para>
    /// File objects bind to -LiteralPath by their PSPath property, so names with brackets such as a[1].csv are read as
    /// they are.
    /// </para>
    /// </example>
    /// <example>
    /// <title>Read a semicolon-separated export with German amounts and other column names</title>
    /// <code>
    /// Import-Transaction ./exports/bank.csv -Delimiter ';' -Culture de-DE -ColumnMap @{
    ///     TransactionId = 'Buchungs-ID'; CustomerId = 'Kunde'; Amount = 'Betrag'; Timestamp = 'Datum'
    /// }
    /// </code>
    /// <para>Reads amounts written as 1.234,56 and takes each field from the column that -ColumnMap names.</para>
    /// </example>
    /// <example>
    /// <title>Follow a live feed and alert within seconds</title>
    /// <code>
    /// Import-Transaction ./live/feed.csv -Wait |
    ///     Select-SuspiciousTransaction |
    ///     Export-SuspiciousTransaction ./output/alerts -RolloverInterval 5
    /// </code>
    /// <para>
    /// Reads the file, then keeps emitting rows as they are appended until Ctrl+C. Each suspicious row is in a committed
    /// part file within five seconds; stopping commits the part in progress.
    /// </para>
    /// </example>
    /// <example>
    /// <title>Keep bad rows aside and give up on a file that is mostly bad</title>
    /// <code>
    /// Import-Transaction ./data/data.csv -QuarantinePath ./output/quarantine.csv -MaxErrorRate 0.1 |
    ///     Select-SuspiciousTransaction
    /// </code>
    /// <para>
    /// Each row that cannot be imported is reported and also appended to ./output/quarantine.csv with its file, line,
    /// error id, message and the row itself. The import stops with ErrorBudgetExceeded if more than a tenth of the rows
    /// read are bad; the bundled sample has 2 bad rows in 50, so it goes through.
    /// </para>
    /// </example>
    /// <example>
    /// <title>Resume a live pipeline where its output stopped</title>
    /// <code>
    /// Import-Transaction ./live/feed.csv -Wait -ResumeFrom ./output/alerts |
    ///     Select-SuspiciousTransaction |
    ///     Export-SuspiciousTransaction ./output/alerts -RolloverInterval 5
    /// </code>
    /// <para>
    /// The first run reads the feed from the top. When the same command runs again after Ctrl+C, a crash or a reboot, it
    /// starts after the rows whose alerts were committed, and the part a crash left in progress is rolled back: every
    /// suspicious row ends up in exactly one committed part.
    /// </para>
    /// </example>
    /// <example>
    /// <title>Read a large file fast, in arrays of a thousand</title>
    /// <code>Import-Transaction ./data/data.csv -ReadCount 1000 | Select-SuspiciousTransaction | Export-SuspiciousTransaction ./output/large</code>
    /// <para>
    /// Import-Transaction emits arrays of up to 1000 transactions, and the other two cmdlets take each array as its
    /// transactions: the same output as without -ReadCount, several times faster on files of millions of rows than
    /// -ReadCount 1, since far fewer objects cross the pipeline. Select-SuspiciousTransaction still emits the suspicious
    /// ones one by one. Without -ReadCount this pipeline is about as fast: the cmdlets see that they are neighbours and
    /// pass arrays to each other by themselves.
    /// </para>
    /// </example>
    /// <example>
    /// <title>Read a Kafka topic up to its current end and alert on it</title>
    /// <code>
    /// Import-Transaction -BootstrapServer kafka1:9092, kafka2:9092 -Topic transactions -GroupId fraud-alerts -StopAtEnd |
    ///     Select-SuspiciousTransaction |
    ///     Export-SuspiciousTransaction ./output/alerts
    /// </code>
    /// <para>
    /// Joins the consumer group fraud-alerts, reads every partition of the topic transactions up to the end it had when it
    /// was assigned (from the earliest message the first time, from the group's committed offsets afterwards) and ends.
    /// Each message's value is a JSON object such as {"transaction_id": "1002", "customer_id": "C012", "amount": 9582.15}.
    /// </para>
    /// </example>
    /// <example>
    /// <title>Follow a topic over SASL and TLS, with CSV values</title>
    /// <code>
    /// Import-Transaction -BootstrapServer broker.example.com:9093 -Topic payments -GroupId fraud -StartAt Latest `
    ///     -Credential (Get-Credential) -KafkaSetting @{ 'sasl.mechanism' = 'SCRAM-SHA-512'; 'ssl.ca.location' = './ca.pem' } `
    ///     -Header transaction_id, customer_id, amount, timestamp -IdleTimeout 00:10:00 |
    ///     Select-SuspiciousTransaction
    /// </code>
    /// <para>
    /// Reads only what is produced from now on (the group has no committed offset yet), each value one CSV record under the
    /// given header, over SASL_SSL with SCRAM, until Ctrl+C or until no message has come for ten minutes.
    /// </para>
    /// </example>
    /// <input type="System.String">Paths of CSV files, by value to -Path or by the property name PSPath to -LiteralPath (as Get-ChildItem's objects carry).</input>
    /// <output type="AnomalyTools.Transaction">One object per good row, in file order.</output>
    /// <output type="AnomalyTools.Transaction[]">With -ReadCount greater than 1: arrays of transactions, in file order.</output>
    /// <remarks>
    /// <para>
    /// Error ids of skipped rows: MissingRequiredValue, InvalidAmount, InvalidTimestamp, FieldCountMismatch, MalformedCsv,
    /// InvalidEncoding, RecordTooLarge. Of skipped files: MissingRequiredColumn, UnsupportedEncoding, PathNotFound, PathIsDirectory, NotFileSystemPath, ReadError,
    /// and MalformedCsv or RecordTooLarge at the header's line. Of the
    /// whole command: InvalidDelimiter, InvalidColumnMapKey, InvalidColumnMapValue, IdleTimeoutRequiresWait,
    /// CheckpointDamaged, ResumeFromIsFile, QuarantineNotWritable, ErrorBudgetExceeded. Warnings: DuplicateColumnName, AmbiguousColumn; while following:
    /// FileTruncated, FileReplaced, IncompleteRecord; with -ResumeFrom: ResumeInputChanged, ResumeFromWithoutCheckpoint.
    /// -ResumeFrom naming a file stops the command with ResumeFromIsFile.
    /// </para>
    /// <para>
    /// Reading Kafka: bad messages are MissingRequiredValue, InvalidAmount, InvalidTimestamp, MalformedCsv, FieldCountMismatch,
    /// InvalidEncoding, RecordTooLarge, or MessageNotJsonObject (a value that is not a JSON object, or no value), with the
    /// target topic/partition@offset. The whole command stops with KafkaBrokerUnreachable, KafkaTopicNotFound,
    /// KafkaAuthorizationFailed, InvalidKafkaSetting, KafkaFatalError, KafkaLibraryNotLoaded, or KafkaRequiresPowerShell7
    /// (Windows PowerShell 5.1). Partition assignments and errors that the client retries by itself are verbose messages.
    /// </para>
    /// <para>
    /// The parts and the files starting with _ of a folder that Export-SuspiciousTransaction writes in the same pipeline
    /// are never read, so that reading a folder with a wildcard (and -Wait) cannot feed the output back in: the first one
    /// skipped is a warning (PipelineOutputSkipped), the others are verbose messages.
    /// </para>
    /// <para>Intervals are seconds (5, 0.5) or TimeSpans (00:01:00).</para>
    /// </remarks>
    /// <related>Select-SuspiciousTransaction</related>
    /// <related>Export-SuspiciousTransaction</related>
    /// <related>about_AnomalyTools</related>
    /// <related href="https://github.com/anomalytools/AnomalyTools">Online documentation</related>
    [Cmdlet(VerbsData.Import, "Transaction", DefaultParameterSetName = PathParameterSet)]
    [OutputType(typeof(Transaction), typeof(Transaction[]))]
    public sealed partial class ImportTransactionCommand : PSCmdlet, IDisposable
    {
        private const string PathParameterSet = "Path";
        private const string LiteralPathParameterSet = "LiteralPath";
        private static readonly TimeSpan s_progressDelay = TimeSpan.FromSeconds(2);
        private static readonly TimeSpan s_progressInterval = TimeSpan.FromMilliseconds(250);

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly int _progressActivityId = unchecked((int)DateTime.UtcNow.Ticks & 0x7FFFFFFF);
        private readonly List<string> _wildcards = new List<string>();
        private readonly HashSet<string> _skippedOutputs = new HashSet<string>();
        private readonly Func<string, bool> _isPipelineOutput;
        private TransactionCsvOptions? _csvOptions;
        private InputPositions? _resumePositions;
        private QuarantineWriter? _quarantine;
        private ErrorBudget? _errorBudget;
        private string? _resumeDirectory;
        private FileFollower? _follower;
        private ProgressThrottle? _progress;
        private bool _resumeFolderChecked;

        /// <summary>Creates the command.</summary>
        public ImportTransactionCommand()
        {
            _isPipelineOutput = IsPipelineOutput;
        }

        /// <summary>The CSV files to read. Wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>The CSV files to read, taken exactly as written: no character is a wildcard.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathParameterSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>The field delimiter; a comma by default.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(DelimiterCompleter))]
        public char Delimiter { get; set; } = ',';

        /// <summary>
        /// The culture of the amounts, such as de-DE for 1.234,56: its decimal separator, and its group separators only
        /// where it puts them (9001.50 is refused in de-DE); the invariant culture by default.
        /// </summary>
        [Parameter]
        public CultureInfo? Culture { get; set; }

        /// <summary>
        /// Column names for fields whose columns are not named as expected, such as
        /// <c>@{ TransactionId = 'txn'; Amount = 'value_eur' }</c>. Keys: TransactionId, CustomerId, Amount, Timestamp.
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? ColumnMap { get; set; }

        /// <summary>
        /// Keeps following the files after their end, as Get-Content -Wait does: each row appended is emitted once its
        /// line is complete, and files that come to match a wildcard are read too. Ends on Ctrl+C or -IdleTimeout.
        /// </summary>
        [Parameter(ParameterSetName = PathParameterSet)]
        [Parameter(ParameterSetName = LiteralPathParameterSet)]
        public SwitchParameter Wait { get; set; }

        /// <summary>
        /// With -Wait: ends following when no file has grown for this long. With -BootstrapServer: ends reading when no
        /// message has come for this long. Seconds (5, 0.5) or a TimeSpan (00:01:00).
        /// </summary>
        [Parameter]
        [IntervalTransformation]
        [ArgumentCompleter(typeof(IntervalCompleter))]
        [ValidatePositiveInterval]
        public TimeSpan? IdleTimeout { get; set; }

        /// <summary>
        /// Emits the transactions in arrays of up to this many, as Get-Content -ReadCount does: fewer objects cross the
        /// pipeline, which makes long files much faster. Select-SuspiciousTransaction and Export-SuspiciousTransaction take
        /// the arrays as they take single transactions. An array is emitted when full, at the end of each file, and with
        /// -Wait as soon as following has caught up. Without -ReadCount, each transaction is emitted by itself, except
        /// that when Select-SuspiciousTransaction directly follows and nothing else can see the transactions (no command
        /// in between, no -OutVariable, -PipelineVariable or -OutBuffer, no breakpoint or trace), the two cmdlets pass
        /// them in arrays anyway (chaining), with the same output, errors and files. -ReadCount 1 turns chaining off.
        /// </summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int ReadCount { get; set; } = 1;

        /// <summary>
        /// An Export-SuspiciousTransaction output folder to resume after: each file is read from after the last row that
        /// the folder's committed parts cover, and from the top when they cover none of it (or the folder has no
        /// checkpoint yet, as on the first run). Give the folder the pipeline exports to, so that the same command can be
        /// run again after a stop or a crash. A file is refused (ResumeFromIsFile); a folder without a checkpoint that no
        /// export in the same pipeline writes, most likely a mistyped name, is a warning. Reading Kafka, every partition of
        /// the topics is assigned to this command (no group rebalance) and read from the checkpoint's next offset, or from
        /// -StartAt for a partition it does not cover; the offsets each part commits are also committed to the group.
        /// </summary>
        [Parameter(ParameterSetName = PathParameterSet)]
        [Parameter(ParameterSetName = LiteralPathParameterSet)]
        [Parameter(ParameterSetName = KafkaParameterSet)]
        [ValidateNotNullOrEmpty]
        public string? ResumeFrom { get; set; }

        /// <summary>
        /// A CSV file that every record that cannot be imported is also written to, with its file, line, error id and
        /// message and the record itself (source,line,error_id,message,record), to be fixed and imported again. Appended
        /// to when it exists; a file that is not a quarantine file is refused.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? QuarantinePath { get; set; }

        /// <summary>
        /// The largest record read, in bytes of the file with its line end (16MB works); 1 MB by default. A longer record is
        /// skipped with a RecordTooLarge error and reading goes on after it, so that a quote never closed or a line without
        /// an end cannot fill memory. The limit is exact, and the same with and without -Wait.
        /// </summary>
        [Parameter]
        [ValidateRange(1024, int.MaxValue)]
        public int MaxRecordSize { get; set; } = TransactionCsvOptions.DefaultMaxRecordSize;

        /// <summary>Stops the import with the terminating error ErrorBudgetExceeded once more than this many records could not be imported.</summary>
        [Parameter]
        [ValidateRange(0, long.MaxValue)]
        public long? MaxErrors { get; set; }

        /// <summary>
        /// Stops the import with the terminating error ErrorBudgetExceeded once more than this share (0 to 1, such as 0.01)
        /// of the records read could not be imported: judged at each bad record once 100 records were read, and at the end
        /// of each file.
        /// </summary>
        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double? MaxErrorRate { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            ValidateDelimiter();
            _csvOptions = new TransactionCsvOptions
            {
                Delimiter = Delimiter,
                Culture = Culture,
                Columns = ColumnMap is null ? Sources.ColumnMap.Default : ToColumnMap(ColumnMap),
                MaxRecordSize = MaxRecordSize,
            };
            if (IdleTimeout.HasValue && !Wait && ParameterSetName != KafkaParameterSet)
            {
                ThrowTerminatingError(ErrorRecords.Create("IdleTimeoutRequiresWait", ErrorCategory.InvalidArgument, IdleTimeout, null));
            }
            if (ResumeFrom != null) ReadResumePositions(ResumeFrom);
            if (MaxErrors.HasValue || MaxErrorRate.HasValue) _errorBudget = new ErrorBudget(MaxErrors, MaxErrorRate);
            if (QuarantinePath != null) OpenQuarantine(QuarantinePath);
            if (Wait) _follower = new FileFollower(_csvOptions, new FollowOptions { IdleTimeout = IdleTimeout }) { SkipThroughLineOf = SkipThroughLine };
        }

        private void ReadResumePositions(string folder)
        {
            _resumeDirectory = FileSystemPaths.ResolveOutputPath(this, folder);
            if (File.Exists(_resumeDirectory))
            {
                ThrowTerminatingError(ErrorRecords.Create("ResumeFromIsFile", ErrorCategory.InvalidArgument, _resumeDirectory, null, _resumeDirectory));
            }
            try
            {
                _resumePositions = new FolderCheckpointStore(_resumeDirectory).ReadPositions();
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException || exception is InvalidDataException)
            {
                var category = exception is InvalidDataException ? ErrorCategory.InvalidData : ErrorCategory.ReadError;
                ThrowTerminatingError(ErrorRecords.Create("CheckpointDamaged", category, _resumeDirectory, exception, _resumeDirectory, exception.Message));
            }
            _resumeFolderChecked = _resumePositions!.Count > 0;
        }

        // Checked once the pipeline has begun, when an export in it has said which folder it writes: a folder without
        // checkpoints is the first run's when this pipeline writes it, otherwise most likely a mistyped name.
        private void CheckResumeFolder()
        {
            if (_resumeFolderChecked) return;
            _resumeFolderChecked = true;
            if (!PipelineOutputs.IsWritten(_resumeDirectory!)) WriteWarning(ErrorRecords.Message("ResumeFromWithoutCheckpoint", _resumeDirectory!));
            WriteVerbose(ErrorRecords.Message("NoCheckpoint", _resumeDirectory!));
        }

        // A part or an _ file of a folder that an export in this pipeline writes is not read: it would come back as output.
        private bool IsPipelineOutput(string path)
        {
            var folder = PipelineOutputs.SinkFolderOf(path);
            if (folder is null) return false;
            if (_skippedOutputs.Add(path))
            {
                var message = ErrorRecords.Message("PipelineOutputSkipped", path, folder);
                if (_skippedOutputs.Count == 1) WriteWarning(message);
                else WriteVerbose(message);
            }
            return true;
        }

        private void OpenQuarantine(string path)
        {
            var file = FileSystemPaths.ResolveOutputPath(this, path);
            try
            {
                _quarantine = new QuarantineWriter(file);
            }
            // ArgumentException: a path no file can have, such as one with a NUL.
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException || exception is InvalidDataException || exception is ArgumentException)
            {
                ThrowTerminatingError(ErrorRecords.Create("QuarantineNotWritable", ErrorCategory.WriteError, file, exception, file, exception.Message));
            }
        }

        // Where the checkpoint lets reading of a file start; 0 for its top.
        private long SkipThroughLine(string file)
        {
            if (_resumePositions is null) return 0;
            long line;
            bool changed;
            try
            {
                line = _resumePositions.SkipThroughLine(file, out changed);
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                // A file whose start cannot be read cannot be told from another one: reported, never taken as covered.
                WriteReadError(file, exception);
                return 0;
            }
            return Resuming(file, line, changed);
        }

        private long SkipThroughLine(InputFile input)
        {
            if (_resumePositions is null) return 0;
            var line = _resumePositions.SkipThroughLine(input, out var changed);
            return Resuming(input.Path, line, changed);
        }

        private long Resuming(string file, long line, bool changed)
        {
            if (changed) WriteWarning(ErrorRecords.Message("ResumeInputChanged", file, _resumeDirectory!));
            if (line > 0) WriteVerbose(ErrorRecords.Message("ResumingFile", file, line, _resumeDirectory!));
            return line;
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (_resumeDirectory != null) CheckResumeFolder();
            if (ParameterSetName == KafkaParameterSet)
            {
                ImportFromKafka();
                return;
            }
            var literal = ParameterSetName == LiteralPathParameterSet;
            foreach (var path in literal ? LiteralPath : Path)
            {
                var followedWildcard = _follower != null && !literal && WildcardPattern.ContainsWildcardCharacters(path);
                if (followedWildcard) _wildcards.Add(path);
                var files = FileSystemPaths.ResolveInputFiles(this, path, literal, noMatchIsError: !followedWildcard, _isPipelineOutput);
                if (_follower is null)
                {
                    using var source = new CsvFileSource(files, _csvOptions) { SkipThroughLineOf = SkipThroughLine };
                    if (!ReadSource(source)) return;
                    continue;
                }
                foreach (var file in files) _follower.Add(file, SkipThroughLine(file));
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_follower is null) return;
            if (_wildcards.Count > 0) _follower.Discover = MatchWildcards;
            if (ReadSource(_follower)) WriteBatch();
        }

        // Reads a source to its end, each event to the pipeline; false when stopped.
        private bool ReadSource(ITransactionSource source)
        {
            try
            {
                foreach (var sourceEvent in source.Read(_stopping.Token)) WriteSourceEvent(sourceEvent);
                return true;
            }
            catch (OperationCanceledException)
            {
                // Stopped: the engine ends the pipeline.
                return false;
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing() => _stopping.Cancel();

        /// <inheritdoc />
        public void Dispose()
        {
            CloseKafka();
            _quarantine?.Dispose();
            _follower?.Dispose();
            _stopping.Dispose();
        }

        private IEnumerable<string> MatchWildcards() => _wildcards.SelectMany(pattern => FileSystemPaths.MatchFiles(this, pattern, _isPipelineOutput));

        private void WriteSourceEvent(SourceEvent sourceEvent)
        {
            switch (sourceEvent.Kind)
            {
                case SourceEventKind.Record:
                    // The throttle's clock starts with an input's first record: progress stays silent for its first seconds.
                    _progress ??= new ProgressThrottle(s_progressDelay, s_progressInterval);
                    WriteResult(sourceEvent.Result);
                    break;
                case SourceEventKind.Started:
                    WriteVerbose(ErrorRecords.Message("Following", sourceEvent.Path));
                    break;
                case SourceEventKind.Truncated:
                    WriteWarning(ErrorRecords.Message("FileTruncated", sourceEvent.Path));
                    break;
                case SourceEventKind.Replaced:
                    WriteWarning(ErrorRecords.Message("FileReplaced", sourceEvent.Path));
                    break;
                case SourceEventKind.IncompleteRecord:
                    WriteWarning(ErrorRecords.Message("IncompleteRecord", sourceEvent.Path + ":" + sourceEvent.LineNumber.ToString(CultureInfo.InvariantCulture)));
                    break;
                case SourceEventKind.ReadFailed:
                    WriteReadError(sourceEvent.Path, sourceEvent.Exception!);
                    break;
                case SourceEventKind.CaughtUp:
                    WriteBatch();
                    break;
                case SourceEventKind.Progress:
                    if (_progress?.ShouldReport() == true) WriteProgress(Progress(sourceEvent.Path, sourceEvent.Completed, sourceEvent.Total));
                    break;
                case SourceEventKind.InputEnded:
                    EndInput(sourceEvent.Path);
                    break;
                case SourceEventKind.InputsAssigned:
                    WriteBatch();
                    WriteVerbose(ErrorRecords.Message("KafkaPartitionsAssigned", sourceEvent.Path));
                    break;
                case SourceEventKind.InputsRevoked:
                    WriteBatch();
                    WriteVerbose(ErrorRecords.Message("KafkaPartitionsRevoked", sourceEvent.Path));
                    break;
                case SourceEventKind.TransientError:
                    WriteVerbose(ErrorRecords.Message("KafkaTransientError", sourceEvent.Path));
                    break;
            }
        }

        // Also after a read error, so that an array never spans two files.
        private void EndInput(string file)
        {
            var progress = _progress;
            _progress = null;
            if (progress?.HasReported == true)
            {
                var completed = Progress(file, 0, 0);
                completed.RecordType = ProgressRecordType.Completed;
                WriteProgress(completed);
            }
            WriteBatch();
            if (_errorBudget?.IsExceededAtEndOfFile() == true) StopForErrorBudget(file);
        }

        private void WriteResult(ImportResult result)
        {
            if (result.Transaction is null)
            {
                WriteImportError(result.Error!);
                return;
            }
            _errorBudget?.CountGood();
            Output.Write(result.Transaction);
        }

        private void WriteImportError(ImportError error)
        {
            if (error.IsWarning)
            {
                WriteWarning(error.Message);
                return;
            }
            WriteError(ErrorRecords.FromImportError(error));
            try
            {
                _quarantine?.Write(error);
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                ThrowTerminatingError(ErrorRecords.Create("QuarantineNotWritable", ErrorCategory.WriteError, QuarantinePath, exception, QuarantinePath!, exception.Message));
            }
            if (_errorBudget?.CountError() == true) StopForErrorBudget(error.Location);
        }

        private void StopForErrorBudget(string where)
        {
            WriteBatch();
            var budget = _errorBudget!;
            ThrowTerminatingError(ErrorRecords.Create("ErrorBudgetExceeded", ErrorCategory.LimitsExceeded, where, null,
                where, budget.Errors, budget.Records, budget.MaxErrors?.ToString(CultureInfo.InvariantCulture) ?? "-",
                budget.MaxErrorRate?.ToString(CultureInfo.InvariantCulture) ?? "-"));
        }

        private void WriteBatch() => Output.EndOfRun();

        private void WriteReadError(string file, Exception exception)
        {
            var category = exception is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.ReadError;
            WriteError(ErrorRecords.Create("ReadError", category, file, exception, file, exception.Message));
        }

        private ProgressRecord Progress(string file, long bytesRead, long length)
        {
            var record = new ProgressRecord(_progressActivityId, ErrorRecords.Message("ImportActivity"), ErrorRecords.Message("ReadingFile", file));
            if (length > 0)
            {
                record.PercentComplete = (int)Math.Min(100, bytesRead * 100 / length);
                record.StatusDescription = ErrorRecords.Message("ProgressStatus", bytesRead, length);
                record.CurrentOperation = file;
            }
            return record;
        }

        private void ValidateDelimiter()
        {
            if (Delimiter == '"' || Delimiter == '\r' || Delimiter == '\n' || Delimiter > 127)
            {
                ThrowTerminatingError(ErrorRecords.Create("InvalidDelimiter", ErrorCategory.InvalidArgument, Delimiter, null, Delimiter));
            }
        }

        private ColumnMap ToColumnMap(Hashtable map)
        {
            var columns = new Dictionary<TransactionField, string>();
            foreach (DictionaryEntry entry in map)
            {
                var key = entry.Key?.ToString() ?? string.Empty;
                if (!Enum.TryParse<TransactionField>(key, ignoreCase: true, out var field) || !Enum.IsDefined(typeof(TransactionField), field))
                {
                    ThrowTerminatingError(ErrorRecords.Create("InvalidColumnMapKey", ErrorCategory.InvalidArgument, map, null, key));
                }
                var column = entry.Value?.ToString();
                if (string.IsNullOrWhiteSpace(column))
                {
                    ThrowTerminatingError(ErrorRecords.Create("InvalidColumnMapValue", ErrorCategory.InvalidArgument, map, null, key));
                }
                columns[field] = column!;
            }
            return new ColumnMap(columns);
        }
    }
}
