// The residual network as it trains, measured like a propagation run of `report --arch resnet`: per block the
// stream after it and its gradient, the branch's sites (norm.out with pre-norm, branch.pre, branch.act, branch.out),
// both weights and, when the plan asks, their gradients, on the task's held-out batch.
// Legend: B = rows, n = width, L = blocks; sites as ResidualSite names them.

extension TrainableResNet {
    /// Forward and backward on `batch` (the task's loss), measured per block as sites; histograms of every site when
    /// the plan asks for any.
    func measuredLayers(on batch: TrainingBatch<T>, task: TrainingTask, plan: MeasurementPlan) -> [LayerReport] {
        guard depth >= 1, batch.rows > 0 else { return [] }
        let forward = self.forward(batch.inputs, rows: batch.rows)
        let evaluation = TrainingLoss.evaluate(task, outputs: forward.outputs, batch: batch, withGradient: true)
        let (gradients, streamGradients) = backward(forward, outputGradient: evaluation.outputGradient)
        let histograms = !plan.histogramQuantities.isEmpty
        func measured(_ name: String, _ tensor: [T], _ rule: SaturationRule = .none) -> SiteReport {
            let values = (tensor as? [Float]) ?? tensor.map { Float($0) }   // statistics read Float32
            return SiteReport(name: name, quantity: histograms ? TensorStatistics.report(values.span, saturation: rule)
                                                               : QuantityReport(stats: TensorStatistics.summarize(values.span, saturation: rule)))
        }
        let pre = normalization != .none && options.position == .pre
        return (1...depth).map { l in
            var sites = [measured(ResidualSite.stream, forward.streams[l]), measured(ResidualSite.streamGradient, streamGradients[l - 1])]
            if pre { sites.append(measured(ResidualSite.normOut, forward.normalized[l - 1])) }
            sites += [measured(ResidualSite.branchPre, forward.hidden[l - 1]),
                      measured(ResidualSite.branchAct, forward.activated[l - 1], .activationValues(of: activation)),
                      measured(ResidualSite.branchOut, forward.branch[l - 1]),
                      measured(ResidualSite.branchInWeight, parameters[index(block: l, 0)]),
                      measured(ResidualSite.branchOutWeight, parameters[index(block: l, 2)])]
            if plan.weightGradients {
                sites += [measured(ResidualSite.branchInWeightGradient, gradients[index(block: l, 0)]),
                          measured(ResidualSite.branchOutWeightGradient, gradients[index(block: l, 2)])]
            }
            return LayerReport(index: l, quantities: [:], sites: sites)
        }
    }
}
