using System;
using System.Globalization;
using System.Management.Automation;

namespace AnomalyTools.Commands
{
    /// <summary>
    /// Lets a time interval be given as a number of seconds (<c>5</c>, <c>0.5</c>, <c>'5'</c>) as well as a TimeSpan
    /// (<c>00:00:05</c>, <c>(New-TimeSpan -Minutes 1)</c>). PowerShell alone would read the number 5 as five ticks
    /// and the text '5' as five days.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class IntervalTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <summary>A number, or text that is a number, as that many seconds; anything else as it is.</summary>
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case int _:
                case long _:
                case double _:
                case decimal _:
                case float _:
                    return Seconds(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                case string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds):
                    return Seconds(seconds);
                default:
                    return inputData;
            }
        }

        private static object Seconds(double seconds)
        {
            if (double.IsNaN(seconds) || double.IsInfinity(seconds) || Math.Abs(seconds) > TimeSpan.MaxValue.TotalSeconds)
            {
                throw new ArgumentTransformationMetadataException(ErrorRecords.Message("IntervalOutOfRange", seconds));
            }
            return TimeSpan.FromSeconds(seconds);
        }
    }

    /// <summary>Requires a time interval longer than zero.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidatePositiveIntervalAttribute : ValidateArgumentsAttribute
    {
        /// <summary>Throws when the interval is zero or negative.</summary>
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is TimeSpan interval && interval <= TimeSpan.Zero)
            {
                throw new ValidationMetadataException(ErrorRecords.Message("IntervalNotPositive", interval));
            }
        }
    }
}
