// Caption templates: placeholders parse, and each is filled with the number the row prints, computed from the run.
import Foundation
import Testing
@testable import ScopeUI
import SignalFlow

@Suite struct CaptionTemplateTests {
    @Test func placeholdersAndBracesParse() throws {
        let template = try CaptionTemplate("From {first} to {last@he}, {{braces}}.")
        #expect(template.segments == [.text("From "), .value(.first, row: nil), .text(" to "), .value(.last, row: "he"),
                                      .text(", {braces}.")])
        #expect(template.rowsNamed == ["he"])
        #expect(throws: TemplateProblem.self) { try CaptionTemplate("a } b.") }
        #expect(throws: TemplateProblem.self) { try CaptionTemplate("{last@}.") }
        #expect(throws: TemplateProblem.self) { try CaptionTemplate(String(repeating: "a", count: 401) + ".") }
        // A decimal point is no sentence end; "?" and "!" are.
        #expect(CaptionTemplate.sentenceCount(try CaptionTemplate("x0.5 per layer. Why? Yes!").segments) == 3)
    }

    /// The synthetic ReLU run (xavier, he, lsuv at L = 50), complete, by row name.
    func runs() -> (runs: [String: RunData], scenario: Scenario) {
        let state = UITestSupport.completedReluState(width: 80, height: 24)
        var byName: [String: RunData] = [:]
        for (row, named) in state.scenario.initializers.enumerated() { byName[named.name] = state.runs[row] }
        return (byName, state.scenario)
    }

    @Test func everyValueIsTheNumberTheRowPrints() throws {
        let (runs, scenario) = runs()
        let xavier = runs["xavier"]!
        func v(_ q: Quantity, _ l: Int) -> Double { xavier.report(layer: l)!.stats(q)!.variance }
        func fill(_ text: String, layer: Int = 7) throws -> String {
            try CaptionTemplate(text + ".").filled(runs: runs, focus: "xavier", scenario: scenario, selectedLayer: layer)
        }
        #expect(try fill("{first}") == Caption.tableNumber(v(.activation, 1)) + ".")
        #expect(try fill("{last}") == Caption.tableNumber(v(.activation, 50)) + ".")
        #expect(try fill("{ratio}") == Caption.tableNumber(v(.activation, 50) / v(.activation, 1)) + ".")
        #expect(try fill("{grad_ratio}") == Caption.tableNumber(v(.activationGradient, 1) / v(.activationGradient, 50)) + ".")
        #expect(try fill("{grad_first} {grad_last}") == "\(Caption.tableNumber(v(.activationGradient, 1))) \(Caption.tableNumber(v(.activationGradient, 50))).")
        #expect(try fill("{var} {grad} {layer}") == "\(Caption.tableNumber(v(.activation, 7))) \(Caption.tableNumber(v(.activationGradient, 7))) 7.")
        #expect(try fill("{dead} {saturated}") == "50.0% 0.0%.")
        #expect(try fill("{depth} {width} {batch} {name} {activation}") == "50 512 256 xavier ReLU.")
        #expect(try fill("{last@he}") == Caption.tableNumber(runs["he"]!.report(layer: 50)!.stats(.activation)!.variance) + ".")
        // The factor reproduces the printed last number from the printed first one.
        let factor = Double(try fill("{factor}").dropLast())!
        let first = Double(Caption.tableNumber(v(.activation, 1)))!
        #expect(Caption.tableNumber(first * pow(factor, 49)) == Caption.tableNumber(v(.activation, 50)))
        #expect(abs(factor - 0.5) < 0.02)
        // The synthetic runs carry no mean field: chi1 and the depth scale say so.
        #expect(try fill("{chi1} {depth_scale}") == "- -.")
    }

    @Test func phaseMapAndSpectrumValues() throws {
        let (runs, scenario) = runs()
        func fill(_ text: String, layer: Int = 50, spectrum: SpectrumPanelData? = nil) throws -> String {
            try CaptionTemplate(text + ".").filled(runs: runs, focus: "xavier", scenario: scenario, selectedLayer: layer, spectrum: spectrum)
        }
        // sigma_w^2 = fan_in Var(W): xavier 1, he 2 (ReLU); the synthetic runs have no chi_1, so no phase.
        #expect(try fill("{sigma_w2} {sigma_w2@he} {phase}") == "1 2 -.")
        // The spectrum values are read only from the focused row's spectrum at the selected layer.
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        state.selectedLayer = 50
        let request = try #require(SpectrumRequest(state))
        let spectrum = LowerPanelTests.spectrum(layer: 50, low: -3, high: 1.5, unresolved: 2, spread: 40)
        let data = SpectrumPanelData(request: request, spectrum: spectrum, failure: nil)
        #expect(try fill("{sv_spread} {sv_decades}", spectrum: data) == "40.0 4.5+.")
        #expect(try fill("{sv_spread} {sv_decades}", layer: 49, spectrum: data) == "? ?.")
        #expect(try fill("{sv_spread@he}", spectrum: data) == "?.")
        // Above the SVD's width the probe estimate says it is one, with its standard error; it has no decades.
        let estimate = try #require(LowerPanelTests.estimateState(width: 80, height: 24).spectrum)
        #expect(try fill("{sv_spread} {sv_decades}", spectrum: estimate)
                == "\(Caption.tableNumber(48)) +- \(Caption.tableNumber(6.1)) (estimate) -.")
    }

    @Test func valuesNotComputedYetArePending() throws {
        let (_, scenario) = runs()
        let template = try CaptionTemplate("{first} {chi1} {depth}.")
        #expect(template.filled(runs: ["xavier": RunData(depth: 50)], focus: "xavier", scenario: scenario, selectedLayer: 1) == "? ? 50.")
        #expect(template.filled(runs: [:], focus: "nobody", scenario: scenario, selectedLayer: 1) == "? ? 50.")
    }
}
