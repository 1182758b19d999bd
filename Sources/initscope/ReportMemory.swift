// What `initscope report` holds in memory besides the engine, for the memory check: the output text of every
// layer of every run, built whole before it is written.
import SignalFlow

extension ReportFormat {
    /// Bytes held in memory per layer of each run while the whole text is built: the text per layer, rounded up
    /// from measured sizes (json 869, or 3260 with histograms; csv 233 or 1623; table 84), three times over
    /// (the per-run pieces, their joined text and the document). 0 once the output is streamed layer by layer.
    func bytesHeldPerLayer(histograms: Bool) -> Int {
        let text: Int
        switch self {
        case .json: text = histograms ? 4_096 : 1_024
        case .csv: text = histograms ? 2_048 : 320
        case .table: text = 128
        }
        return 3 * text
    }

    /// What a report in this format, with or without histograms, measures and keeps.
    func footprint(histograms: Bool) -> RunFootprint {
        RunFootprint(plan: histograms ? .everything : .statisticsOnly,
                     outputBytesPerLayer: bytesHeldPerLayer(histograms: histograms))
    }
}
