using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using AnomalyTools.Sources;

namespace AnomalyTools.Commands
{
    /// <summary>Makes the module's error records: the id is the message's resource key, the target the offending input.</summary>
    internal static class ErrorRecords
    {
        /// <summary>An input error as a record; its target is the offending object, or else the error's file and line.</summary>
        public static ErrorRecord FromImportError(ImportError error, object? target = null) =>
            new ErrorRecord(new InvalidDataException(error.Message), error.Id.ToString(), ErrorCategory.InvalidData, target ?? error.Location);

        public static ErrorRecord Create(string errorId, ErrorCategory category, object? target, Exception? cause, params object[] arguments)
        {
            var format = CmdletMessages.ResourceManager.GetString(errorId, CmdletMessages.Culture)
                ?? throw new ArgumentException("No message has the error id " + errorId + ".", nameof(errorId));
            var message = string.Format(CultureInfo.CurrentCulture, format, arguments);
            Exception exception = category switch
            {
                ErrorCategory.ObjectNotFound => new FileNotFoundException(message, cause),
                ErrorCategory.InvalidArgument => new ArgumentException(message, cause),
                ErrorCategory.ReadError or ErrorCategory.WriteError or ErrorCategory.PermissionDenied => new IOException(message, cause),
                _ => new InvalidOperationException(message, cause),
            };
            return new ErrorRecord(exception, errorId, category, target);
        }

        public static string Message(string resourceKey, params object[] arguments) =>
            string.Format(
                CultureInfo.CurrentCulture,
                CmdletMessages.ResourceManager.GetString(resourceKey, CmdletMessages.Culture) ?? resourceKey,
                arguments);
    }
}
