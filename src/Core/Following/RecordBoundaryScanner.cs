namespace AnomalyTools.Following
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
        public bool Scan(byte[] buffer, int end, bool stopAfterFirstRecord)
        {
            var position = Position;
            try
            {
                while (position + _unitWidth <= end)
                {
                    var unit = _unitWidth == 1 ? buffer[position]
                        : _bigEndian ? (buffer[position] << 8) | buffer[position + 1]
                        : buffer[position] | (buffer[position + 1] << 8);

                    if (_afterCarriageReturn)
                    {
                        _afterCarriageReturn = false;
                        if (unit == LineFeed)
                        {
                            position += _unitWidth;
                            if (_state == State.FieldStart && EndRecord(position, stopAfterFirstRecord)) return true;
                            continue;
                        }
                        // A lone carriage return ends a line by itself.
                        if (_state == State.FieldStart && EndRecord(position, stopAfterFirstRecord)) return true;
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
                        if (EndRecord(position, stopAfterFirstRecord)) return true;
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

        private bool EndRecord(int position, bool stopAfterFirstRecord)
        {
            Boundary = position;
            LinesToBoundary = _lineEnds;
            var hadContent = _recordHasContent;
            _recordHasContent = false;
            return stopAfterFirstRecord && hadContent;
        }
    }
}
