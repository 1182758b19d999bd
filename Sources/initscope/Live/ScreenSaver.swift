// `C` in the live view: the screen is rendered on the UI thread (the picture as drawn) and its three files are
// written on a background queue, so the writing (60-70 ms measured in soaks, inside the key's stretch of the loop)
// does not hold up the next key or frame. The status line says where the files went once they are written; the
// session waits for saves still being written before it exits, so a `C` just before `q` is not lost.
import Dispatch
import ScopeUI
import Terminal

/// Writes saved screens on a serial background queue and posts the status line through the mailbox.
final class ScreenSaver: Sendable {
    /// One serial queue: screens are written in the order they were asked for.
    private let queue = DispatchQueue(label: "initscope.save-screen", qos: .userInitiated)
    private let mailbox: EngineMailbox
    private let wake: @Sendable () -> Void
    /// Where the files go; nil = the working directory at the time of writing.
    private let directory: String?

    /// A saver that posts `.status` into `mailbox` and calls `wake` after each screen is written.
    init(mailbox: EngineMailbox, wake: @escaping @Sendable () -> Void, directory: String? = nil) {
        self.mailbox = mailbox; self.wake = wake; self.directory = directory
    }

    /// Writes `canvas` as txt, ansi and svg (`ScreenFiles.save`) on the queue; returns at once.
    func save(_ canvas: Canvas, foreground: RGBColor, background: RGBColor) {
        let mailbox = mailbox, wake = wake, directory = directory
        queue.async {
            let status = directory.map { ScreenFiles.save(canvas, foreground: foreground, background: background, directory: $0) }
                ?? ScreenFiles.save(canvas, foreground: foreground, background: background)
            mailbox.post(.status(status))
            wake()
        }
    }

    /// Returns once every screen asked for so far is written.
    func finish() { queue.sync {} }
}
