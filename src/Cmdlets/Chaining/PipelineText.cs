using System.Management.Automation;
using System.Management.Automation.Language;

namespace AnomalyTools.Commands.Chaining
{
    /// <summary>
    /// Where the pipeline's text puts the command after a given one. The engine says only a command's position and the
    /// line it is on, and a pipeline nested in a script block on the same line has positions of its own, so the text
    /// decides: the element after a command is the one that follows the first pipe after it at its own depth, on the same
    /// line, or at the start of the next line when the pipe ends the line or starts the next one.
    /// </summary>
    internal sealed class PipelineText
    {
        private readonly string _scriptName;
        private readonly int _line;
        private readonly Placement _placement;
        private readonly int _column;
        private readonly string _lineText;

        private PipelineText(string scriptName, int line, Placement placement, int column, string lineText)
        {
            _scriptName = scriptName;
            _line = line;
            _placement = placement;
            _column = column;
            _lineText = lineText;
        }

        private enum Placement
        {
            // At a column of the same line.
            SameLine,
            // First on the next line: the pipe ended the command's line.
            StartOfNextLine,
            // After the pipe that starts the next line.
            AfterPipeOnNextLine,
        }

        /// <summary>Where the element after <paramref name="command"/> starts; null when none can be told for sure.</summary>
        public static PipelineText? NextElement(InvocationInfo command)
        {
            var text = command.Line;
            if (string.IsNullOrEmpty(text) || command.OffsetInLine < 1) return null;
            var tokens = Tokenize(text);
            var index = System.Array.FindIndex(tokens, token => token.Extent.StartLineNumber == 1 && token.Extent.StartColumnNumber == command.OffsetInLine);
            if (index < 0) return null;
            var depth = 0;
            for (var i = index + 1; i < tokens.Length; i++)
            {
                var token = tokens[i];
                switch (token.Kind)
                {
                    case TokenKind.LParen:
                    case TokenKind.LCurly:
                    case TokenKind.LBracket:
                    case TokenKind.AtParen:
                    case TokenKind.AtCurly:
                    case TokenKind.DollarParen:
                        depth++;
                        continue;
                    case TokenKind.RParen:
                    case TokenKind.RCurly:
                    case TokenKind.RBracket:
                        // The block that holds the command ends: its pipeline has nothing after the command.
                        if (depth == 0) return null;
                        depth--;
                        continue;
                }
                if (depth > 0 || token.Kind == TokenKind.Comment) continue;
                if (token.Kind == TokenKind.Pipe)
                {
                    var next = NextSignificant(tokens, i + 1);
                    if (next is null) return new PipelineText(ScriptNameOf(command), command.ScriptLineNumber + 1, Placement.StartOfNextLine, 0, string.Empty);
                    return new PipelineText(ScriptNameOf(command), command.ScriptLineNumber, Placement.SameLine, next.Extent.StartColumnNumber, text);
                }
                if (token.Kind == TokenKind.EndOfInput || token.Kind == TokenKind.NewLine)
                {
                    return NextSignificant(tokens, i) is null
                        ? new PipelineText(ScriptNameOf(command), command.ScriptLineNumber + 1, Placement.AfterPipeOnNextLine, 0, string.Empty)
                        : null;
                }
                if (token.Kind == TokenKind.Semi || token.Kind == TokenKind.AndAnd || token.Kind == TokenKind.OrOr || token.Kind == TokenKind.Ampersand
                    || token.Kind == TokenKind.LineContinuation)
                {
                    return null;
                }
            }
            return null;
        }

        /// <summary>Whether <paramref name="command"/> is the element this says comes next.</summary>
        public bool IsAt(InvocationInfo command)
        {
            if (ScriptNameOf(command) != _scriptName || command.ScriptLineNumber != _line) return false;
            if (_placement == Placement.SameLine) return command.OffsetInLine == _column && command.Line == _lineText;
            var text = command.Line;
            if (string.IsNullOrEmpty(text)) return false;
            var tokens = Tokenize(text);
            var first = NextSignificant(tokens, 0);
            if (first is null) return false;
            if (_placement == Placement.AfterPipeOnNextLine)
            {
                if (first.Kind != TokenKind.Pipe) return false;
                first = NextSignificant(tokens, System.Array.IndexOf(tokens, first) + 1);
                if (first is null) return false;
            }
            return first.Kind != TokenKind.Pipe && first.Extent.StartLineNumber == 1 && first.Extent.StartColumnNumber == command.OffsetInLine;
        }

        private static string ScriptNameOf(InvocationInfo command) => command.ScriptName ?? string.Empty;

        private static Token? NextSignificant(Token[] tokens, int start)
        {
            for (var i = start; i < tokens.Length; i++)
            {
                var kind = tokens[i].Kind;
                if (kind == TokenKind.NewLine || kind == TokenKind.Comment) continue;
                return kind == TokenKind.EndOfInput ? null : tokens[i];
            }
            return null;
        }

        private static Token[] Tokenize(string text)
        {
            Parser.ParseInput(text, out var tokens, out _);
            return tokens;
        }
    }
}
