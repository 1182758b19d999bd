// What `initscope report` holds in memory besides the engine, for the memory check. The output is streamed layer
// by layer through one 64 KiB buffer (ReportCommand), so no text grows with depth: only the reports do.
import SignalFlow

extension ReportFormat {
    /// Bytes held in memory per layer of each run for the output: 0, since each layer's text is written as soon
    /// as it is formed (a few KiB at a time, through a buffer of fixed size that the estimate's slack covers).
    func bytesHeldPerLayer(histograms: Bool) -> Int { 0 }

    /// What a report in this format, with or without histograms, measures and keeps.
    func footprint(histograms: Bool) -> RunFootprint {
        RunFootprint(plan: histograms ? .everything : .statisticsOnly,
                     outputBytesPerLayer: bytesHeldPerLayer(histograms: histograms))
    }
}
