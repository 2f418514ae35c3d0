using System;
using System.Buffers.Binary;

namespace AnomalyTools.Values
{
    /// <summary>
    /// The text fields of one record (its ids and attributes) kept as the UTF-8 the file has, each decoded only when it
    /// is asked for: most transactions are judged on their amount and never shown, and decoding every field of every
    /// record was most of the reader's work. One array holds them all: the field count, where each field ends, then
    /// the bytes.
    /// </summary>
    internal readonly struct Utf8Fields
    {
        private readonly byte[] _packed;

        private Utf8Fields(byte[] packed) => _packed = packed;

        public int Count => IntAt(0);

        public string Decode(int field)
        {
            var start = field == 0 ? 0 : IntAt(field);
            var bytesStart = (Count + 1) * sizeof(int);
            return Utf8Text.ToString(_packed.AsSpan(bytesStart + start, IntAt(field + 1) - start));
        }

        public string[] DecodeFrom(int firstField)
        {
            var values = new string[Count - firstField];
            for (var i = 0; i < values.Length; i++) values[i] = Decode(firstField + i);
            return values;
        }

        // The count is the first int; field i ends where the int at i + 1 says.
        private int IntAt(int index) => BinaryPrimitives.ReadInt32LittleEndian(_packed.AsSpan(index * sizeof(int)));

        /// <summary>
        /// Collects the fields of one record after another, in buffers it reuses: a field's span may be valid only until
        /// the next is taken.
        /// </summary>
        internal sealed class Builder
        {
            private byte[] _bytes = new byte[256];
            private int[] _ends = new int[8];
            private int _count;

            public void Clear() => _count = 0;

            public void Add(ReadOnlySpan<byte> field)
            {
                var start = _count == 0 ? 0 : _ends[_count - 1];
                if (start + field.Length > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, start + field.Length));
                if (_count == _ends.Length) Array.Resize(ref _ends, _ends.Length * 2);
                field.CopyTo(_bytes.AsSpan(start));
                _ends[_count++] = start + field.Length;
            }

            public Utf8Fields ToFields()
            {
                var length = _count == 0 ? 0 : _ends[_count - 1];
                var header = (_count + 1) * sizeof(int);
                var packed = new byte[header + length];
                BinaryPrimitives.WriteInt32LittleEndian(packed, _count);
                for (var i = 0; i < _count; i++) BinaryPrimitives.WriteInt32LittleEndian(packed.AsSpan((i + 1) * sizeof(int)), _ends[i]);
                _bytes.AsSpan(0, length).CopyTo(packed.AsSpan(header));
                return new Utf8Fields(packed);
            }
        }
    }
}
