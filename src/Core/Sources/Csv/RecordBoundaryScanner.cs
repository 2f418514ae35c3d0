using System;

namespace AnomalyTools.Sources.Csv
{
    /// <summary>
    /// Finds where complete CSV records end in bytes that may stop in the middle of one: a record is complete at a
    /// line end outside quotes, so a half-written line and a quoted field whose line break has arrived but whose
    /// closing quote has not are both held back. Works on code units (UTF-8 bytes or UTF-16 units), which is
    /// enough because the quote, the line ends and the ASCII delimiter never occur inside a multi-unit character.
    /// Scanning resumes where it stopped, so each byte is looked at once however slowly a record arrives.
    /// </summary>
    internal sealed class RecordBoundaryScanner
    {
        private const int Quote = '"';
        private const int LineFeed = '\n';
        private const int CarriageReturn = '\r';

        private readonly int _delimiter;
        private readonly int _unitWidth;
        private readonly bool _bigEndian;
        private readonly bool _skipsWholeFields;
        private State _state = State.FieldStart;
        private bool _afterCarriageReturn;
        private bool _recordHasContent;
        private int _lineEnds;

        /// <summary>Creates a scanner for units of <paramref name="unitWidth"/> bytes (1 for UTF-8, 2 for UTF-16).</summary>
        public RecordBoundaryScanner(char delimiter, int unitWidth, bool bigEndian, int start)
        {
            _delimiter = delimiter;
            _unitWidth = unitWidth;
            _bigEndian = bigEndian;
            // A delimiter that is not one ASCII byte, or is a quote or a line end, is never passed over with the fields.
            _skipsWholeFields = unitWidth == 1 && delimiter < 0x80 && delimiter != Quote && delimiter != CarriageReturn && delimiter != LineFeed;
            Position = start;
            Boundary = start;
        }

        private enum State
        {
            FieldStart,
            Unquoted,
            Quoted,
            QuoteInQuoted,
        }

        /// <summary>
        /// A scanner for input whose first <paramref name="length"/> bytes are in <paramref name="buffer"/>: its byte order
        /// mark, if any, says how wide a unit is, and scanning starts after it. False while those bytes could still be the
        /// start of a byte order mark.
        /// </summary>
        public static bool TryCreateForInput(byte[] buffer, int length, char delimiter, out RecordBoundaryScanner? scanner)
        {
            scanner = null;
            if (length >= 2 && buffer[0] == 0xFF && buffer[1] == 0xFE) scanner = new RecordBoundaryScanner(delimiter, 2, bigEndian: false, start: 2);
            else if (length >= 2 && buffer[0] == 0xFE && buffer[1] == 0xFF) scanner = new RecordBoundaryScanner(delimiter, 2, bigEndian: true, start: 2);
            else if (length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF) scanner = new RecordBoundaryScanner(delimiter, 1, bigEndian: false, start: 3);
            else if (length < 3 && CouldStartByteOrderMark(buffer, length)) return false;
            else scanner = new RecordBoundaryScanner(delimiter, 1, bigEndian: false, start: 0);
            return true;
        }

        /// <summary>Whether the input is UTF-16: two bytes a unit.</summary>
        public bool IsUtf16 => _unitWidth == 2;

        /// <summary>The offset of the next unit to scan.</summary>
        public int Position { get; private set; }

        /// <summary>The offset just past the last complete record found.</summary>
        public int Boundary { get; private set; }

        /// <summary>The line ends between the last <see cref="Consume"/> and <see cref="Boundary"/>.</summary>
        public int LinesToBoundary { get; private set; }

        /// <summary>
        /// Scans the units from <see cref="Position"/> up to <paramref name="end"/>. With
        /// <paramref name="stopAfterFirstRecord"/>, stops at the end of the first record that is not blank (a header).
        /// </summary>
        /// <returns>Whether a complete record that is not blank was found (always false unless stopping after one).</returns>
        public bool Scan(byte[] buffer, int end, bool stopAfterFirstRecord) =>
            Scan(buffer, end, stopAfterFirstRecord ? Stop.AfterFirstRecordWithContent : Stop.Never);

        /// <summary>
        /// Scans the units from <see cref="Position"/> up to <paramref name="end"/> and stops at the next line end outside
        /// quotes, blank lines included: how the size of each record is checked.
        /// </summary>
        /// <returns>Whether a line end was found; then <see cref="Boundary"/> is just past it.</returns>
        public bool ScanToNextBoundary(byte[] buffer, int end) => Scan(buffer, end, Stop.AtEveryBoundary);

        /// <summary>Whether the record that ends at <see cref="Boundary"/> holds more than blanks.</summary>
        public bool LastRecordHadContent { get; private set; }

        /// <summary>Whether the scan stopped inside a quoted field.</summary>
        public bool IsInQuotes => _state == State.Quoted;

        private enum Stop
        {
            Never,
            AfterFirstRecordWithContent,
            AtEveryBoundary,
        }

        private bool Scan(byte[] buffer, int end, Stop stop)
        {
            var position = Position;
            try
            {
                while (position + _unitWidth <= end)
                {
                    if (_unitWidth == 1 && !_afterCarriageReturn && _state != State.QuoteInQuoted
                        && (_state == State.Quoted || _state == State.Unquoted || _skipsWholeFields))
                    {
                        // Only a few bytes can change anything: the rest are passed over a vector at a time. Outside
                        // quotes that is every field up to the next quote or line end, not one field a call: a record
                        // without quotes is crossed in one search instead of one a field.
                        var rest = new ReadOnlySpan<byte>(buffer, position, end - position);
                        int skip;
                        if (_state == State.Quoted) skip = rest.IndexOfAny((byte)Quote, (byte)CarriageReturn, (byte)LineFeed);
                        else if (_skipsWholeFields)
                        {
                            skip = rest.IndexOfAny((byte)Quote, (byte)CarriageReturn, (byte)LineFeed);
                            PassFields(skip < 0 ? rest : rest.Slice(0, skip));
                        }
                        else skip = rest.IndexOfAny((byte)_delimiter, (byte)CarriageReturn, (byte)LineFeed);
                        if (skip < 0)
                        {
                            position = end;
                            break;
                        }
                        position += skip;
                    }
                    var unit = _unitWidth == 1 ? buffer[position]
                        : _bigEndian ? (buffer[position] << 8) | buffer[position + 1]
                        : buffer[position] | (buffer[position + 1] << 8);

                    if (_afterCarriageReturn)
                    {
                        _afterCarriageReturn = false;
                        if (unit == LineFeed)
                        {
                            position += _unitWidth;
                            if (_state == State.FieldStart && EndRecord(position, stop)) return true;
                            continue;
                        }
                        // A lone carriage return ends a line by itself.
                        if (_state == State.FieldStart && EndRecord(position, stop)) return true;
                    }

                    position += _unitWidth;
                    if (unit == CarriageReturn)
                    {
                        _lineEnds++;
                        _afterCarriageReturn = true;
                        if (_state != State.Quoted) _state = State.FieldStart;
                        continue;
                    }
                    if (unit == LineFeed)
                    {
                        _lineEnds++;
                        if (_state == State.Quoted) continue;
                        _state = State.FieldStart;
                        if (EndRecord(position, stop)) return true;
                        continue;
                    }

                    if (unit != ' ' && unit != '\t') _recordHasContent = true;
                    _state = Next(_state, unit);
                }
                return false;
            }
            finally
            {
                Position = position;
            }
        }

        /// <summary>Starts counting lines afresh at <see cref="Boundary"/>: the records before it have been taken.</summary>
        public void Consume()
        {
            _lineEnds -= LinesToBoundary;
            LinesToBoundary = 0;
        }

        /// <summary>Follows the caller moving the bytes it holds <paramref name="count"/> bytes towards the start.</summary>
        public void Shift(int count)
        {
            Position -= count;
            Boundary -= count;
        }

        private static bool CouldStartByteOrderMark(byte[] buffer, int length) =>
            length == 0
            || (buffer[0] == 0xEF && (length == 1 || buffer[1] == 0xBB))
            || (length == 1 && (buffer[0] == 0xFF || buffer[0] == 0xFE));

        private State Next(State state, int unit)
        {
            switch (state)
            {
                case State.FieldStart:
                    if (unit == Quote) return State.Quoted;
                    if (unit == _delimiter || unit == ' ' || unit == '\t') return State.FieldStart;
                    return State.Unquoted;
                case State.Quoted:
                    return unit == Quote ? State.QuoteInQuoted : State.Quoted;
                case State.QuoteInQuoted:
                    if (unit == Quote) return State.Quoted;
                    return unit == _delimiter ? State.FieldStart : State.Unquoted;
                default:
                    return unit == _delimiter ? State.FieldStart : State.Unquoted;
            }
        }

        // The state after units outside quotes that hold no quote and no line end: a field's start after a delimiter and
        // blanks, inside an unquoted field after anything else.
        private void PassFields(ReadOnlySpan<byte> units)
        {
            if (units.IsEmpty) return;
            if (!_recordHasContent && !IsBlank(units)) _recordHasContent = true;
            var lastDelimiter = units.LastIndexOf((byte)_delimiter);
            if (!IsBlank(units.Slice(lastDelimiter + 1))) _state = State.Unquoted;
            else if (lastDelimiter >= 0) _state = State.FieldStart;
        }

        private static bool IsBlank(ReadOnlySpan<byte> units)
        {
            foreach (var unit in units)
            {
                if (unit != ' ' && unit != '\t') return false;
            }
            return true;
        }

        private bool EndRecord(int position, Stop stop)
        {
            Boundary = position;
            LinesToBoundary = _lineEnds;
            var hadContent = _recordHasContent;
            LastRecordHadContent = hadContent;
            _recordHasContent = false;
            return stop == Stop.AtEveryBoundary || (stop == Stop.AfterFirstRecordWithContent && hadContent);
        }
    }
}
