// `P` in the live view: the screen as drawn, written beside the user as initscope-screen-DATE-TIME.{txt,ansi,svg}
// (CanvasExport), for slides. The only file the live view writes besides --stats-file.
import Foundation
import Terminal

/// Writes a screen's files.
enum ScreenFiles {
    /// Writes `canvas` as txt, ansi and svg (`foreground`, `background`: the terminal's default colours) into
    /// `directory` (default: the working directory) under one stem named after `date` (UTC), "-2", "-3"... when taken.
    /// Returns the status line: where the files went (short enough to stand whole beside "?:help q:quit" at 80
    /// columns), or why they could not be written.
    static func save(_ canvas: Canvas, foreground: RGBColor, background: RGBColor,
                     directory: String = FileManager.default.currentDirectoryPath, date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let base = "initscope-screen-" + formatter.string(from: date)
        var stem = base, suffix = 1
        let formats: [CanvasExport.Format] = [.svg, .txt, .ansi]
        while formats.contains(where: { FileManager.default.fileExists(atPath: directory + "/" + stem + "." + $0.rawValue) }) {
            suffix += 1; stem = base + "-\(suffix)"
        }
        for format in formats {
            let text = CanvasExport.render(canvas, format: format, foreground: foreground, background: background)
            if let failure = StandardStreams.writeFile(text, path: directory + "/" + stem + "." + format.rawValue) {
                return "screen not saved: \(failure)"
            }
        }
        return "screen saved: \(stem).{svg,txt,ansi}"
    }
}
