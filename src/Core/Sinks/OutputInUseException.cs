using System;
using System.IO;

namespace AnomalyTools.Sinks
{
    /// <summary>Another sink writes into the output folder with the same subtask.</summary>
    public sealed class OutputInUseException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public OutputInUseException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
