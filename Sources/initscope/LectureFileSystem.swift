// The file-system side of lectures, the only code that touches lecture files: finds the bundled and the user's
// lecture folders and reads the file a request names, handing LectureCatalog and LectureParser plain values.
// Legend: paths as given (`lecture PATH`) or as built (folder + "/" + NAME + ".toml").
import Foundation
import ScopeUI
import SignalFlow

/// Finds and reads lecture files.
enum LectureFileSystem {
    /// EX_DATAERR: the lecture is missing or broken.
    static let dataErrorStatus: Int32 = 65
    /// EX_NOINPUT: the lecture file exists but could not be read.
    static let unreadableStatus: Int32 = 66

    /// Folders searched for a lecture name, best first: the user's, then the bundled candidates.
    static func folders(environment: [String: String], executablePath: String? = ThemeFileSystem.executablePath())
        -> (user: String?, bundled: [String]) {
        (LectureCatalog.userDirectory(environment: environment),
         LectureCatalog.bundledDirectoryCandidates(executablePath: executablePath))
    }

    /// The lecture `request` names (nil: the default one): a path, or a name looked up in the user's folder, then the
    /// bundled ones. Failure: the one line to print and the exit status (65 missing or broken, 66 unreadable).
    static func load(_ request: String?, environment: [String: String],
                     executablePath: String? = ThemeFileSystem.executablePath()) -> Result<Lecture, LoadFailure> {
        let (user, bundled) = folders(environment: environment, executablePath: executablePath)
        let asked = request ?? LectureCatalog.defaultName
        let paths = LectureCatalog.candidatePaths(for: request, userDirectory: user, bundledDirectories: bundled)
        for path in paths {
            let read = ThemeFileSystem.read(path)
            if case .missing = read.contents, !LectureCatalog.isPath(asked) { continue }
            switch LectureFile(path: path, contents: read.contents).lecture {
            case .success(let lecture): return .success(lecture)
            case .failure(let error):
                return .failure(LoadFailure(message: "lecture \(error)", status: error.isReadFailure ? unreadableStatus : dataErrorStatus))
            }
        }
        let known = Set(([user].compactMap { $0 } + bundled).flatMap { folder in
            LectureCatalog.names(in: (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        }).sorted()
        let name = PrintableText.quoted(asked, limit: 80)
        let have = known.isEmpty ? "no lecture found beside the binary or in \(user ?? "the XDG data folder")"
            : "have \(known.joined(separator: ", "))"
        let why = LectureCatalog.isName(asked) ? "no such lecture" : "not a lecture name (letters, digits, - _ .) nor a path"
        return .failure(LoadFailure(message: "lecture '\(name)': \(why) (\(have))", status: dataErrorStatus))
    }

    /// Why a lecture could not be loaded: one line for stderr and the exit status.
    struct LoadFailure: Error {
        var message: String
        var status: Int32
    }
}
