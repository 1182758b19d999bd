// One-line errors for every subcommand: bad input prints one line on stderr and exits 64 (EX_USAGE); output that
// cannot be written (full disk, closed pipe) one line and 74 (EX_IOERR); --help prints in full on stdout.
import ArgumentParser
import Foundation
import SignalFlow

extension InitScope {
    /// Parses the command line and runs the chosen command; errors become one line on stderr.
    static func main() {
        Foundation.exit(runCommandLine(Array(CommandLine.arguments.dropFirst())))
    }

    /// Runs `arguments` (without the program name) and returns the command's exit status. The caller exits only
    /// after this returns: every value made here is released first (an exit from inside would leave the parser's
    /// and the error's storage allocated, which LeakSanitizer reports).
    static func runCommandLine(_ arguments: [String]) -> Int32 {
        do {
            try checkHelpTopics(arguments)
            var command = try parseAsRoot(arguments)
            try command.run()
            return 0
        } catch let error as OutputWriteError {
            StandardStreams.writeErrorLine("initscope: \(error)")
            return ExitStatus.ioError
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help, help COMMAND: the full text, or one line and 74 when it cannot be written.
                let text = fullMessage(for: error)
                let bytes = Array((text.hasSuffix("\n") ? text : text + "\n").utf8)
                let failure = bytes.withUnsafeBytes { StandardStreams.writeAll($0, to: STDOUT_FILENO) }
                if failure != 0 {
                    StandardStreams.writeErrorLine("initscope: \(OutputWriteError(writing: "the help", errorNumber: failure))")
                    return ExitStatus.ioError
                }
                return 0
            }
            if error is ExitCode { return code.rawValue }
            StandardStreams.writeErrorLine(errorLine(for: error))
            return code.rawValue
        }
    }

    /// The names `help` accepts: every subcommand's name.
    static var commandNames: [String] {
        configuration.subcommands.compactMap { $0.configuration.commandName }
    }

    /// `initscope help TOPIC...`: ArgumentParser shows the root help for an unknown topic and exits 0; refuse it
    /// instead (exit 64) naming the accepted commands.
    static func checkHelpTopics(_ arguments: [String]) throws {
        guard arguments.first == "help" else { return }
        var commands: [ParsableCommand.Type] = configuration.subcommands
        for topic in arguments.dropFirst() where !topic.hasPrefix("-") {
            guard let command = commands.first(where: { $0.configuration.commandName == topic }) else {
                let accepted = commands.filter { $0.configuration.shouldDisplay }.compactMap { $0.configuration.commandName }
                throw ValidationError("help: unknown command '\(topic)'; accepted: "
                                      + (accepted.isEmpty ? "none" : accepted.joined(separator: ", ")))
            }
            commands = command.configuration.subcommands
        }
    }

    /// The one line printed for a command-line error: the message's first line, with control characters from the
    /// input (a value like $'\e[2J' or one with a newline) replaced, so it stays one line and cannot drive the terminal.
    static func errorLine(for error: Error) -> String {
        let text = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        return "initscope: " + PrintableText.quoted(text, limit: 1000)
    }
}
