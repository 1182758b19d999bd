// What the terminal edge decides without a terminal: which TERM can host the view (from terminfo alone), where a
// crash's backtrace goes, and how signals are named in the one-line messages.
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Terminal

@Suite struct TerminalEdgeTests {
    @Test func terminalsWithoutCursorAddressingAreRefusedLikeUnknownOnes() {
        #expect(CursesScreen.terminfoProblem(term: "xterm-256color") == nil)
        #expect(CursesScreen.terminfoProblem(term: "vt100") == nil)
        #expect(CursesScreen.terminfoProblem(term: "dumb") == .noCursorAddressing("dumb"))
        #expect(CursesScreen.terminfoProblem(term: "no-such-terminal") == .unknownTerminal("no-such-terminal"))
        #expect(CursesScreen.terminfoProblem(term: "") == .unknownTerminal(""))
        let message = CursesScreenError.noCursorAddressing("dumb").description
        #expect(message.contains("TERM=dumb") && message.contains("initscope report") && !message.contains("\n"))
    }

    @Test func crashLogGoesToTMPDIROrTmp() {
        #expect(TerminalSignals.crashLogPath(environment: [:], processIdentifier: 42) == "/tmp/initscope-crash-42.log")
        #expect(TerminalSignals.crashLogPath(environment: ["TMPDIR": "/var/tmp/"], processIdentifier: 7)
                == "/var/tmp/initscope-crash-7.log")
        #expect(TerminalSignals.crashLogPath(environment: ["TMPDIR": "relative"], processIdentifier: 7)
                == "/tmp/initscope-crash-7.log")
    }

    @Test func everyTerminatingSignalIsForwardedAndCrashesIncludeTrap() {
        let forwarded = Set(TerminalSignals.terminating)
        for signal in [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU, SIGVTALRM, SIGPROF, SIGSYS] {
            #expect(forwarded.contains(signal), "\(TerminalSignals.name(of: signal))")
        }
        #expect(Set(TerminalSignals.crashes) == [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTRAP])
        #expect(forwarded.isDisjoint(with: TerminalSignals.crashes))
        #expect(TerminalSignals.name(of: SIGXCPU) == "SIGXCPU")
        #expect(TerminalSignals.name(of: 40) == "signal 40")
    }

    @Test func crashEscapesLeaveApplicationCursorKeys() {
        let text = String(decoding: TerminalSignals.fallbackRestoreEscapes, as: UTF8.self)
        #expect(text.contains("\u{1B}[?1l\u{1B}>") && text.contains("\u{1B}[?25h"))
    }
}
