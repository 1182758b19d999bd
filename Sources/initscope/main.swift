// initscope: the command line. Subcommands: (none) = live terminal front end, report, train, bench, themes, lecture, snapshot.
import ArgumentParser
import Glibc
import SignalFlow

/// The root command.
struct InitScope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "initscope",
        abstract: "Watch what weight initialization does to a deep network.",
        subcommands: [LiveCommand.self, ReportCommand.self, TrainCommand.self, BenchCommand.self, ThemesCommand.self,
                      LectureCommand.self, SnapshotCommand.self, TerminalCheckCommand.self, FreedMemoryCheckCommand.self],
        defaultSubcommand: LiveCommand.self)
}

// A closed pipe (`initscope report | head -c 0`) is a failed write (EPIPE: one line, status 74), not a death by
// SIGPIPE (141). The live view ignores it too (TerminalSignals).
_ = signal(SIGPIPE, SIG_IGN)
// Before any big allocation: RSS follows what the program holds, also after a big run (FreedMemory).
FreedMemory.fixThresholds()
// Before any BLAS call: OpenBLAS single-threaded, parallel passes on our own threads (see Parallelism).
Parallelism.setThreadCount(Parallelism.defaultThreadCount)
InitScope.main()
