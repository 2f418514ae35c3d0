using System;
using System.IO;

namespace AnomalyTools
{
    /// <summary>Reads some bytes, then the rest of another stream from its position: a file's header before the records that follow a skipped one.</summary>
    internal sealed class PrefixedStream : Stream
    {
        private readonly byte[] _prefix;
        private readonly Stream _rest;
        private int _prefixRead;

        public PrefixedStream(byte[] prefix, Stream rest)
        {
            _prefix = prefix;
            _rest = rest;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_prefixRead == _prefix.Length) return _rest.Read(buffer, offset, count);
            var take = Math.Min(count, _prefix.Length - _prefixRead);
            Buffer.BlockCopy(_prefix, _prefixRead, buffer, offset, take);
            _prefixRead += take;
            return take;
        }

#if NET8_0_OR_GREATER
        public override int Read(Span<byte> buffer)
        {
            if (_prefixRead == _prefix.Length) return _rest.Read(buffer);
            var take = Math.Min(buffer.Length, _prefix.Length - _prefixRead);
            _prefix.AsSpan(_prefixRead, take).CopyTo(buffer);
            _prefixRead += take;
            return take;
        }
#endif

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
