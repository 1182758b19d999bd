// One-line errors for every subcommand: bad input prints one line on stderr and exits 64 (EX_USAGE);
// --help and --version print in full on stdout.
import ArgumentParser
import Foundation
import SignalFlow

extension InitScope {
    /// Parses the command line and runs the chosen command; errors become one line on stderr.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if error is ExitCode { Foundation.exit(code.rawValue) }
            StandardStreams.writeErrorLine(errorLine(for: error))
            Foundation.exit(code.rawValue)
        }
    }

    /// The one line printed for a command-line error: the message's first line, with control characters from the
    /// input (a value like $'\e[2J' or one with a newline) replaced, so it stays one line and cannot drive the terminal.
    static func errorLine(for error: Error) -> String {
        let text = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        return "initscope: " + PrintableText.quoted(text, limit: 1000)
    }
}
