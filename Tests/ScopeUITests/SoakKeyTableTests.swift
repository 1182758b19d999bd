// The soak test (Tests/Soak/soak.sh) sends every bound key: its list, Tests/Soak/keys.txt, must cover the key table.
import Foundation
import Testing
@testable import ScopeUI
import Terminal

@Test func soakKeyListCoversEveryBoundKey() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Soak/keys.txt").path
    let listed = Set(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        .map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") })
    // Every key the table could bind, named as tmux send-keys names it.
    var candidates: [(KeyPress, String)] = [
        (.up, "Up"), (.down, "Down"), (.left, "Left"), (.right, "Right"), (.home, "Home"), (.end, "End"),
        (.pageUp, "PgUp"), (.pageDown, "PgDn"), (.tab, "Tab"), (.backTab, "BTab"), (.enter, "Enter"),
        (.escape, "Escape"), (.backspace, "BSpace"),
    ]
    candidates += (1...12).map { (.function($0), "F\($0)") }
    candidates += (0x21...0x7E).map { (.character(Character(Unicode.Scalar($0)!)), String(Unicode.Scalar($0)!)) }
    candidates.append((.character(" "), "Space"))
    for (key, name) in candidates {
        // q quits; P writes files into the soak's folder on every press.
        guard let command = KeyMap.command(for: key), command != .quit, command != .saveScreen else { continue }
        #expect(listed.contains(name), "key \(name) is bound to \(command) but the soak never sends it")
    }
}
