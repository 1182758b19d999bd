// The transformer as it trains, measured like a propagation run of `report --arch transformer` on the task's held-out
// sequences: per block the stream after it and its gradient, the sites inside (TransformerSite, in the order of the
// pass; the attention weights followed by their rows' entropy and largest weight) and, when the plan asks, the six
// weights' gradients. The order is the block walker's: stream, stream gradient, forward sites, backward sites.
// Legend: B = sequences, T = tokens, R = B T rows, d = width, L = blocks, H = heads.
import Foundation

extension TrainableTransformer {
    /// Forward and backward on `batch` (next-token cross-entropy), measured per block as sites; histograms of every
    /// site when the plan asks for any. Overwrites the training buffers (the next step's pass refills them).
    func measuredLayers(on batch: TrainingBatch<T>, task: TrainingTask, plan: MeasurementPlan) -> [LayerReport] {
        guard depth >= 1, batch.tokens.count == geometry.rows else { return [] }
        let histograms = !plan.histogramQuantities.isEmpty, tokens = geometry.tokens
        func measured(_ name: String, _ values: [Float], _ rule: SaturationRule = .none) -> SiteReport {
            SiteReport(name: name, quantity: histograms ? TensorStatistics.report(values.span, saturation: rule)
                                                        : QuantityReport(stats: TensorStatistics.summarize(values.span, saturation: rule)))
        }
        func floats(_ values: UnsafeBufferPointer<T>) -> [Float] { values.map { Float($0) } }   // statistics read Float32
        var forwardSites = [[SiteReport]](repeating: [], count: depth)
        let saturation = SaturationRule.activationValues(of: activation)
        let observer: ((Int, String, UnsafeBufferPointer<T>) -> Void)? = !plan.blockSites ? nil : { l, name, values in
            let copy = floats(values)
            forwardSites[l - 1].append(measured(name, copy, name == TransformerSite.ffnAct ? saturation : .none))
            guard name == TransformerSite.attentionWeights else { return }
            let rows = copy.count / tokens
            var entropy = [Float](repeating: 0, count: rows), largest = [Float](repeating: 0, count: rows)
            copy.withUnsafeBufferPointer { p in
                entropy.withUnsafeMutableBufferPointer { e in
                    largest.withUnsafeMutableBufferPointer { AttentionKernel.rowSummaries(p, tokens: tokens, entropy: e, largest: $0) }
                }
            }
            forwardSites[l - 1] += [measured(TransformerSite.attentionEntropy, entropy), measured(TransformerSite.attentionLargest, largest)]
        }
        let logits = forward(tokens: batch.tokens, site: observer)
        let streams = (1...depth).map { l in
            measured(TransformerSite.stream, floats(UnsafeBufferPointer(start: UnsafePointer(buffers.streams[l]), count: geometry.rows * geometry.width)))
        }
        let evaluation = TrainingLoss.evaluate(task, outputs: logits, batch: batch, withGradient: true)
        var gradients = parameters.map { [T](repeating: 0, count: $0.count) }
        var streamGradients = [SiteReport?](repeating: nil, count: depth)
        var weightGradients = [[SiteReport]](repeating: [], count: depth)
        backward(tokens: batch.tokens, logitGradient: evaluation.outputGradient, into: &gradients, observe: { l, name, values in
            if name == TransformerSite.streamGradient { streamGradients[l - 1] = measured(name, floats(values)) }
            else if plan.weightGradients && plan.blockSites { weightGradients[l - 1].append(measured(name, floats(values))) }
        })
        return (1...depth).map { l in
            var sites = [streams[l - 1]]
            if let gradient = streamGradients[l - 1] { sites.append(gradient) }
            return LayerReport(index: l, quantities: [:], sites: sites + forwardSites[l - 1] + weightGradients[l - 1])
        }
    }
}
