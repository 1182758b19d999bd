// `C` writes its files on a background queue (ScreenSaver): the status line arrives through the mailbox with a wake,
// and `finish` returns only once every screen asked for is written.
import Foundation
import Synchronization
import Testing
import ScopeUI
import Terminal
@testable import initscope

/// Counts the wakes a saver sends.
private final class WakeCounter: Sendable { let count = Atomic<Int>(0) }

@Test func aSavedScreenIsWrittenInTheBackgroundAndItsStatusPosted() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("initscope-saver-\(getpid())").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let mailbox = EngineMailbox(), wakes = WakeCounter()
    let saver = ScreenSaver(mailbox: mailbox, wake: { wakes.count.wrappingAdd(1, ordering: .relaxed) }, directory: directory)
    var canvas = Canvas(width: 3, height: 1)
    canvas.write("ab", x: 0, y: 0, style: Style())
    saver.save(canvas, foreground: RGBColor(9, 9, 9), background: RGBColor(0, 0, 0))
    saver.save(canvas, foreground: RGBColor(9, 9, 9), background: RGBColor(0, 0, 0))
    saver.finish()
    let statuses = mailbox.takeAll().compactMap { action -> String? in
        if case .status(let text) = action { return text } else { return nil }
    }
    #expect(statuses.count == 2)
    #expect(statuses.allSatisfy { $0.hasPrefix("screen saved: initscope-screen-") })
    #expect(wakes.count.load(ordering: .relaxed) == 2)
    let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("initscope-screen-") }
    #expect(files.count == 6)   // two screens, three formats each, under two stems
    #expect(try files.filter { $0.hasSuffix(".txt") }.allSatisfy {
        try String(contentsOfFile: directory + "/" + $0, encoding: .utf8) == "ab\n"
    })
}

@Test func aScreenThatCannotBeWrittenSaysSoInTheStatusLine() {
    let mailbox = EngineMailbox()
    let saver = ScreenSaver(mailbox: mailbox, wake: {}, directory: "/nonexistent/dir")
    saver.save(Canvas(width: 2, height: 1), foreground: RGBColor(9, 9, 9), background: RGBColor(0, 0, 0))
    saver.finish()
    guard case .status(let text)? = mailbox.takeAll().first else { Issue.record("no status posted"); return }
    #expect(text.hasPrefix("screen not saved: could not open"))
}
