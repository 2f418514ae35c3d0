using System;
using System.IO;
using System.Management.Automation;
using AnomalyTools.Sinks;
using AnomalyTools.Sinks.Formats;
using AnomalyTools.Sinks.PartFiles;

namespace AnomalyTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes transactions durably into part files that appear only when complete, as Flink's FileSink does.</para>
    /// <para type="description">
    /// Export-SuspiciousTransaction writes the transactions it receives into a directory, created when missing, as part
    /// files named part-0-00000, part-0-00001 and so on. A part is written as the hidden file .part-0-00000.inprogress,
    /// then flushed, synced to disk and renamed to its final name when it rolls: by size (-MaxPartSize), by age
    /// (-RolloverInterval), by inactivity (-InactivityInterval), at the end of the pipeline, and when the pipeline is
    /// stopped. A reader never sees a half-written finished part.
    /// </para>
    /// <para type="description">
    /// A finished part is never overwritten: numbering continues after the parts already in the directory. With each
    /// part it commits, the command records in the directory's _checkpoints folder how far the part covers each input
    /// file, which Import-Transaction -ResumeFrom reads to go on after a stop or a crash. An in-progress file that a crash
    /// left behind is rolled back (deleted, with a warning): its records were never committed and a resumed run reads
    /// them again.
    /// </para>
    /// <para type="description">
    /// With -BucketBy, parts go into time-bucketed subfolders named by -BucketFormat (yyyy-MM-dd--HH by default, in UTC),
    /// by each transaction's timestamp (EventTime) or by the time it is written (ProcessingTime). With -SuccessMarker, an
    /// empty _SUCCESS file is written into the directory when the pipeline finishes its input, for downstream jobs that
    /// wait for it; a new run into the directory removes it first.
    /// </para>
    /// <para type="description">
    /// Formats: Text (the default; lines such as "1002, C012, 9582.15", as the PyFlink exercise wrote them), Csv (a
    /// header, every column and the findings, with spreadsheet formulas neutralized) and JsonLines (one JSON object per
    /// line, findings with their settings and baselines). Files are UTF-8 without a byte order mark, with \n line ends.
    /// </para>
    /// <para type="description">
    /// With -BootstrapServer and -Topic, each transaction is written to a Kafka topic instead, as one message: the key is
    /// the customer id, the value the JSON object that -Format JsonLines writes (without its line end), and the headers
    /// give where it came from (source, line, source-fingerprint) and a stable alert-id, the same in every run for the
    /// same input row, so that consumers can drop the duplicates a crash and a rerun produce. The producer is idempotent
    /// and waits for every in-sync replica (enable.idempotence, acks=all); the command ends once every message is
    /// acknowledged, and stops with an error when one cannot be delivered after librdkafka's retries. -KafkaSetting takes
    /// librdkafka's settings (TLS, SASL mechanism, timeouts) and -Credential the SASL user name and password, which no
    /// output, message or verbose line shows.
    /// </para>
    /// </summary>
    /// <example>
    /// <title>Run the whole job on the bundled sample</title>
    /// <code>Import-Transaction ./data/data.csv | Select-SuspiciousTransaction | Export-SuspiciousTransaction ./output/suspicious_transactions</code>
    /// <para>Writes the nine suspicious transactions of the sample into ./output/suspicious_transactions/part-0-00000.</para>
    /// </example>
    /// <example>
    /// <title>Write CSV for a spreadsheet and see what was written</title>
    /// <code>
    /// Import-Transaction ./data/data.csv |
    ///     Select-SuspiciousTransaction |
    ///     Export-SuspiciousTransaction ./output/alerts -Format Csv -PassThru
    /// </code>
    /// <para>Passes each transaction on once it is written, so the pipeline both keeps a file and shows the alerts.</para>
    /// </example>
    /// <example>
    /// <title>See where the output would go without writing it</title>
    /// <code>Import-Transaction ./data/data.csv | Select-SuspiciousTransaction | Export-SuspiciousTransaction ./output/alerts -Format JsonLines -WhatIf</code>
    /// <para>Prints the directory it would write to, once for the whole pipeline, and writes nothing.</para>
    /// </example>
    /// <example>
    /// <title>Write a daily batch into hourly folders and mark it finished</title>
    /// <code>
    /// Import-Transaction ./data/data.csv -ResumeFrom ./output/daily |
    ///     Select-SuspiciousTransaction |
    ///     Export-SuspiciousTransaction ./output/daily -BucketBy EventTime -SuccessMarker
    /// </code>
    /// <para>
    /// Writes each alert into a folder for the hour of its timestamp, such as ./output/daily/2024-03-01--08/part-0-00000,
    /// then the empty ./output/daily/_SUCCESS. Running the command again adds nothing: every row is already covered.
    /// </para>
    /// </example>
    /// <example>
    /// <title>Commit alerts from a live feed every five seconds</title>
    /// <code>
    /// Import-Transaction ./live/feed.csv -Wait |
    ///     Select-SuspiciousTransaction -MaxPerWindow 5 -Window 60 |
    ///     Export-SuspiciousTransaction ./output/alerts -RolloverInterval 5 -InactivityInterval 2
    /// </code>
    /// <para>
    /// A part is committed at most five seconds after it was started, or two seconds after its last record; Ctrl+C
    /// commits the part in progress.
    /// </para>
    /// </example>
    /// <example>
    /// <title>Send the alerts to a Kafka topic</title>
    /// <code>
    /// Import-Transaction ./incoming/transactions.csv |
    ///     Select-SuspiciousTransaction |
    ///     Export-SuspiciousTransaction -BootstrapServer kafka1:9093, kafka2:9093 -Topic alerts -Credential (Get-Credential) -KafkaSetting @{
    ///         'sasl.mechanism' = 'SCRAM-SHA-512'; 'ssl.ca.location' = './kafka-ca.pem' }
    /// </code>
    /// <para>
    /// Produces the suspicious transactions to the topic alerts over TLS, logged in with SCRAM, each keyed by its customer
    /// id, and ends once the brokers acknowledged every one.
    /// </para>
    /// </example>
    /// <input type="AnomalyTools.Transaction">Transactions, usually from Select-SuspiciousTransaction.</input>
    /// <input type="AnomalyTools.Transaction[]">Arrays of transactions, as Import-Transaction -ReadCount emits: each element is written.</input>
    /// <input type="System.Management.Automation.PSObject">Any object with transaction id, customer id and amount properties, converted by name.</input>
    /// <output type="AnomalyTools.Transaction">With -PassThru, each transaction once it is written. Otherwise nothing.</output>
    /// <remarks>
    /// <para>
    /// Error ids: OutputNotWritable (the directory cannot be created or written), WriteFailed (writing or committing a
    /// part failed), OutputInUse (another pipeline writes into the directory), CheckpointDamaged and InvalidBucketFormat
    /// stop the command; input objects that cannot be converted are
    /// skipped with MissingRequiredValue, InvalidAmount or InvalidTimestamp. Warning: AbandonedPart.
    /// </para>
    /// <para>
    /// With -Topic, error ids InvalidKafkaSetting, KafkaSettingGivenByParameter, ReservedKafkaSetting,
    /// KafkaBrokerUnreachable, KafkaAuthenticationFailed, KafkaTopicNotFound and KafkaAuthorizationFailed stop the command
    /// before it writes; KafkaDeliveryFailed, KafkaProducerFailed and KafkaFlushTimedOut stop it while it writes.
    /// librdkafka's own log lines and the transient broker errors it retries are verbose messages (debug messages with the
    /// setting debug), with every secret replaced by ***.
    /// </para>
    /// <para>
    /// The guarantees rely on a file system with atomic rename. One pipeline writes into a directory at a time: a second
    /// one stops with OutputInUse until the first ends.
    /// </para>
    /// </remarks>
    /// <related>Import-Transaction</related>
    /// <related>Select-SuspiciousTransaction</related>
    /// <related>about_AnomalyTools</related>
    /// <related href="https://github.com/anomalytools/AnomalyTools">Online documentation</related>
    [Cmdlet(VerbsData.Export, "SuspiciousTransaction", SupportsShouldProcess = true, DefaultParameterSetName = PathParameterSet)]
    [OutputType(typeof(Transaction))]
    public sealed partial class ExportSuspiciousTransactionCommand : PSCmdlet, IDisposable
    {
        private const string PathParameterSet = "Path";

        private readonly TransactionInput _input = new TransactionInput();
        private readonly Action<Transaction> _export;
        private readonly Action<ErrorRecord> _writeError;
        private PartFileSink? _sink;
        private bool _closed;
        private string? _directory;
        private IDisposable? _registration;
        private IDisposable? _checkpointRegistration;

        // Boxed: PowerShell lists this assembly's types before DependencyIsolation is installed, and a field of a value
        // type from AnomalyTools.Core would make it load Core then, from the wrong place.
        private object _format = OutputFormat.Text;
        private object _bucketBy = Sinks.PartFiles.BucketBy.None;

        /// <summary>Creates the command.</summary>
        public ExportSuspiciousTransactionCommand()
        {
            _export = Export;
            _writeError = WriteError;
        }

        /// <summary>The transactions to write, usually from Select-SuspiciousTransaction; an array stands for its elements.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>The output directory; created when missing. Part files are named part-0-00000, part-0-00001, ...</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>How records are written: Text (the exercise's lines, the default), Csv or JsonLines.</summary>
        [Parameter(ParameterSetName = PathParameterSet)]
        public OutputFormat Format
        {
            get => (OutputFormat)_format;
            set => _format = value;
        }

        /// <summary>A part is committed and a new one started before a record would take it past this size in bytes; 128 MB by default.</summary>
        [Parameter(ParameterSetName = PathParameterSet)]
        [ValidateRange(1, long.MaxValue)]
        public long MaxPartSize { get; set; } = PartFileSinkOptions.DefaultMaxPartSize;

        /// <summary>
        /// A part is committed once it is this old, even while no record arrives: how long a live feed's alerts wait at
        /// most for their part. Seconds (5, 0.5) or a TimeSpan (00:01:00); 60 seconds by default.
        /// </summary>
        [Parameter(ParameterSetName = PathParameterSet)]
        [IntervalTransformation]
        [ArgumentCompleter(typeof(IntervalCompleter))]
        [ValidatePositiveInterval]
        public TimeSpan RolloverInterval { get; set; } = PartFileSinkOptions.DefaultRollingInterval;

        /// <summary>A part is committed once no record has been written to it for this long. Seconds or a TimeSpan; 60 seconds by default.</summary>
        [Parameter(ParameterSetName = PathParameterSet)]
        [IntervalTransformation]
        [ArgumentCompleter(typeof(IntervalCompleter))]
        [ValidatePositiveInterval]
        public TimeSpan InactivityInterval { get; set; } = PartFileSinkOptions.DefaultRollingInterval;

        /// <summary>
        /// Puts parts into time-bucketed subfolders: EventTime by each transaction's timestamp (the time it is written when
        /// it has none), ProcessingTime by the time it is written. None, the default, writes every part into the directory.
        /// A transaction for another bucket than the open part's commits that part first.
        /// </summary>
        [Parameter(ParameterSetName = PathParameterSet)]
        public BucketBy BucketBy
        {
            get => (BucketBy)_bucketBy;
            set => _bucketBy = value;
        }

        /// <summary>The subfolders' names with -BucketBy: a .NET date and time format applied to UTC times; yyyy-MM-dd--HH (one folder per hour) by default.</summary>
        [Parameter(ParameterSetName = PathParameterSet)]
        [ValidateNotNullOrEmpty]
        public string BucketFormat { get; set; } = BucketNames.DefaultFormat;

        /// <summary>Writes an empty _SUCCESS file into the directory when the pipeline has finished its input (not when it is stopped).</summary>
        [Parameter(ParameterSetName = PathParameterSet)]
        public SwitchParameter SuccessMarker { get; set; }

        /// <summary>
        /// With -Format Csv: writes text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
        /// return) as it is, instead of prefixing it with ', for consumers that are not spreadsheets and need the raw values.
        /// </summary>
        [Parameter(ParameterSetName = PathParameterSet)]
        public SwitchParameter KeepFormulas { get; set; }

        /// <summary>Passes each transaction on after it is written.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            BeginChaining();
            if (ParameterSetName == KafkaParameterSet)
            {
                BeginKafka();
                return;
            }
            _directory = FileSystemPaths.ResolveOutputPath(this, Path);
            if (!ShouldProcess(_directory, ErrorRecords.Message("ExportAction"))) return;

            try
            {
                _sink = new PartFileSink(new PartFileSinkOptions(_directory)
                {
                    Format = Format,
                    MaxPartSize = MaxPartSize,
                    RolloverInterval = RolloverInterval,
                    InactivityInterval = InactivityInterval,
                    BucketBy = BucketBy,
                    BucketFormat = BucketFormat,
                    NeutralizeFormulas = !KeepFormulas,
                });
            }
            catch (ArgumentException exception) when (BucketBy != Sinks.PartFiles.BucketBy.None && !BucketNames.IsValid(BucketFormat))
            {
                ThrowTerminatingError(ErrorRecords.Create("InvalidBucketFormat", ErrorCategory.InvalidArgument, BucketFormat, exception, exception.Message));
            }
            catch (InvalidDataException exception)
            {
                ThrowTerminatingError(ErrorRecords.Create("CheckpointDamaged", ErrorCategory.InvalidData, _directory, exception, _directory, exception.Message));
            }
            catch (OutputInUseException exception)
            {
                ThrowTerminatingError(ErrorRecords.Create("OutputInUse", ErrorCategory.ResourceBusy, _directory, exception, exception.Message));
            }
            // An ArgumentException other than the bucket format's is a path no folder can have, such as one with a NUL.
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException || exception is ArgumentException)
            {
                ThrowTerminatingError(ErrorRecords.Create("OutputNotWritable", ErrorCategory.WriteError, _directory, exception, _directory, exception.Message));
            }
            _registration = PipelineOutputs.Register(_directory);
            _checkpointRegistration = PipelineCheckpoints.Register(_sink!, _directory);
            foreach (var abandoned in _sink!.AbandonedParts)
            {
                WriteWarning(ErrorRecords.Message("AbandonedPart", abandoned));
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ReceivedFromPipeline(InputObject);
            if (InputObject is null || (_sink is null && _kafka is null)) return;
            _input.ForEach(InputObject, _export, _writeError);
        }

        private void Export(Transaction transaction)
        {
            if (_kafka != null)
            {
                WriteToKafka(transaction);
                if (PassThru) WriteObject(transaction);
                return;
            }
            try
            {
                _sink!.Write(transaction);
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                ThrowTerminatingError(ErrorRecords.Create("WriteFailed", ErrorCategory.WriteError, _directory, exception, _directory!, exception.Message));
            }
            if (PassThru) WriteObject(transaction);
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_kafka != null)
            {
                EndKafka();
                return;
            }
            if (_sink is null) return;
            CloseSink(SuccessMarker);
            foreach (var part in _sink.CommittedParts)
            {
                WriteVerbose(ErrorRecords.Message("PartCommitted", part));
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing()
        {
            if (_kafka != null)
            {
                StopKafka();
                return;
            }
            try
            {
                _sink?.Commit();
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                // Nothing can be written once stopping: the part stays .inprogress and the next run rolls it back.
            }
        }

        /// <summary>
        /// Ends a pipeline that failed downstream or was stopped without reaching EndProcessing: commits what was written,
        /// as the README promises, but never throws, so that the pipeline's own exception is the one reported.
        /// </summary>
        public void Dispose()
        {
            EndChaining();
            _registration?.Dispose();
            _checkpointRegistration?.Dispose();
            if (_kafka != null) DisposeKafka();
            if (_sink is null) return;
            if (!_closed)
            {
                _closed = true;
                try
                {
                    _sink.Close();
                }
                catch (Exception)
                {
                    // Whatever it was, the part stays .inprogress and the next run rolls it back with AbandonedPart; the
                    // failure that ended the pipeline is the one to report.
                }
            }
            _sink.Dispose();
        }

        private void CloseSink(bool markSuccess)
        {
            _closed = true;
            try
            {
                if (markSuccess) _sink!.Complete();
                else _sink!.Close();
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                ThrowTerminatingError(ErrorRecords.Create("WriteFailed", ErrorCategory.WriteError, _directory, exception, _directory!, exception.Message));
            }
        }
    }
}
