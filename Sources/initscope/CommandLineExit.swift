// One-line errors for every subcommand: bad input prints one line on stderr and exits 64 (EX_USAGE);
// --help and --version print in full on stdout.
import ArgumentParser
import Foundation

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
            let text = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            StandardStreams.writeErrorLine("initscope: \(text)")
            Foundation.exit(code.rawValue)
        }
    }
}
