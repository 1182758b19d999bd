// Fuzz target: bytes -> lecture file parse (LectureParser: size and UTF-8 checks, the shared TOML front end with its
// subset check and [[scene]] tables, TOMLKit/toml++, the scene schema, inheritance between scenes, scenario
// validation, caption templates), then each scene as the live view opens it (LectureProgress, the caption filled
// before any run has finished).
// Properties: never traps; a refusal is one printable line naming the file; an accepted lecture has 1...100 scenes,
// a printable title, each scene a valid scenario (Scenario.validate with the parser's footprint), its focused row
// among the scenario's rows, its layer in 1...depth, and a caption that fills to one printable line.
import FuzzSupport
import ScopeUI
import SignalFlow

@_cdecl("LLVMFuzzerTestOneInput")
public func lectureFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzBytes(data: data, size: size).bytes
    switch LectureParser.parse(bytes: bytes, file: "fuzz.toml") {
    case .failure(let error):
        let line = error.description
        fuzzCheck(isPrintableLine(line), "refusal is not one printable line: \(line.debugDescription)")
        fuzzCheck(line.hasPrefix("fuzz.toml"), "refusal does not name the file: \(line.debugDescription)")
    case .success(let lecture):
        fuzzCheck((1...LectureParser.maximumScenes).contains(lecture.scenes.count), "\(lecture.scenes.count) scenes")
        fuzzCheck(isPrintableLine(lecture.title) && !lecture.title.isEmpty, "title \(lecture.title.debugDescription)")
        for (index, scene) in lecture.scenes.enumerated() {
            do { try scene.scenario.validate(RunFootprint(callerReportCopies: 1)) } catch {
                fuzzCheck(false, "scene \(index + 1): accepted scenario does not validate: \(error)")
            }
            fuzzCheck(scene.scenario.initializers.indices.contains(scene.focusedRow),
                      "scene \(index + 1): focused row \(scene.focusedRow) of \(scene.scenario.initializers.count)")
            fuzzCheck((1...max(1, scene.scenario.depth)).contains(scene.selectedLayer),
                      "scene \(index + 1): layer \(scene.selectedLayer) of \(scene.scenario.depth)")
            fuzzCheck(isPrintableLine(scene.title), "scene \(index + 1): title \(scene.title.debugDescription)")
            let caption = scene.caption.filled(runs: [:], focus: scene.focusName, scenario: scene.scenario,
                                               selectedLayer: scene.selectedLayer)
            fuzzCheck(isPrintableLine(caption), "scene \(index + 1): caption \(caption.debugDescription)")
            fuzzCheck(LectureProgress(lecture: lecture, sceneIndex: index).sceneIndex == index, "scene index \(index)")
        }
    }
    return 0
}
