using System;
using System.IO;
using System.Management.Automation;
using AnomalyTools.Sink;

namespace AnomalyTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes transactions durably into part files that appear only when complete, as Flink's FileSink does.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "SuspiciousTransaction", SupportsShouldProcess = true)]
    [OutputType(typeof(Transaction))]
    public sealed class ExportSuspiciousTransactionCommand : PSCmdlet, IDisposable
    {
        private readonly TransactionInput _input = new TransactionInput();
        private PartFileSink? _sink;
        private string? _directory;

        // Boxed: PowerShell lists this assembly's types before DependencyIsolation is installed, and a field of a value
        // type from AnomalyTools.Core would make it load Core then, from the wrong place.
        private object _format = OutputFormat.Text;

        /// <summary>The transactions to write, usually from Select-SuspiciousTransaction.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>The output directory; created when missing. Part files are named part-0-00000, part-0-00001, ...</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>How records are written: Text (the exercise's lines, the default), Csv or JsonLines.</summary>
        [Parameter]
        public OutputFormat Format
        {
            get => (OutputFormat)_format;
            set => _format = value;
        }

        /// <summary>A part is committed and a new one started before a record would take it past this size in bytes; 128 MB by default.</summary>
        [Parameter]
        [ValidateRange(1, long.MaxValue)]
        public long MaxPartSize { get; set; } = PartFileSinkOptions.DefaultMaxPartSize;

        /// <summary>
        /// A part is committed once it is this old, even while no record arrives: how long a live feed's alerts wait at
        /// most for their part. Seconds (5, 0.5) or a TimeSpan (00:01:00); 60 seconds by default.
        /// </summary>
        [Parameter]
        [IntervalTransformation]
        [ValidatePositiveInterval]
        public TimeSpan RolloverInterval { get; set; } = PartFileSinkOptions.DefaultRollingInterval;

        /// <summary>A part is committed once no record has been written to it for this long. Seconds or a TimeSpan; 60 seconds by default.</summary>
        [Parameter]
        [IntervalTransformation]
        [ValidatePositiveInterval]
        public TimeSpan InactivityInterval { get; set; } = PartFileSinkOptions.DefaultRollingInterval;

        /// <summary>Passes each transaction on after it is written.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            _directory = FileSystemPaths.ResolveOutputDirectory(this, Path);
            if (!ShouldProcess(_directory, ErrorRecords.Message("ExportAction"))) return;

            try
            {
                _sink = new PartFileSink(new PartFileSinkOptions(_directory)
                {
                    Format = Format,
                    MaxPartSize = MaxPartSize,
                    RolloverInterval = RolloverInterval,
                    InactivityInterval = InactivityInterval,
                });
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                ThrowTerminatingError(ErrorRecords.Create("OutputNotWritable", ErrorCategory.WriteError, _directory, exception, _directory, exception.Message));
            }
            foreach (var abandoned in _sink!.AbandonedParts)
            {
                WriteWarning(ErrorRecords.Message("AbandonedPart", abandoned));
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (InputObject is null || _sink is null) return;
            if (!_input.TryGetTransaction(InputObject, out var transaction, out var error))
            {
                WriteError(error);
                return;
            }

            try
            {
                _sink.Write(transaction!);
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
            if (_sink is null) return;
            CloseSink();
            foreach (var part in _sink.CommittedParts)
            {
                WriteVerbose(ErrorRecords.Message("PartCommitted", part));
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing()
        {
            try
            {
                _sink?.Commit();
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                // Nothing can be written once stopping: the part stays .inprogress and the next run reports it.
            }
        }

        /// <inheritdoc />
        public void Dispose() => _sink?.Dispose();

        private void CloseSink()
        {
            try
            {
                _sink!.Dispose();
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                ThrowTerminatingError(ErrorRecords.Create("WriteFailed", ErrorCategory.WriteError, _directory, exception, _directory!, exception.Message));
            }
        }
    }
}
