// Per-layer mean-field predictions for a plain MLP, forward and backward (reference sections 3.1-3.4).
// Legend: L = depth; N_0 ... N_L = widths; layer l = 1...L computes h^l = x^{l-1} W^l + b^l, x^l = phi(h^l), x^0 = input;
// q^l = E[(h^l)^2]; g^l = E[(dL/dh^l)^2]; sigma_w^2(l) = N_{l-1} Var(W^l).

import Foundation

/// Mean-field prediction for one layer (1-based `index`), all second moments (not variances); the shared
/// `LayerTheory` (LayerReport.swift) carries the first two of these for the engine's reports.
public struct MeanFieldLayer: Equatable, Sendable {
    /// Layer number l, 1-based (1 = first hidden layer).
    public var index: Int
    /// q^l: predicted second moment of the pre-activations h^l.
    public var preactivationSecondMoment: Double
    /// E[phi(h^l)^2]: predicted second moment of the activations x^l.
    public var activationSecondMoment: Double
    /// g^l: predicted second moment of the pre-activation gradients dL/dh^l (the engine's "activation gradient").
    public var gradientSecondMoment: Double
    /// g^l E[(x^{l-1})^2]: predicted second moment of the weight gradients dL/dW^l.
    public var weightGradientSecondMoment: Double
    /// sigma_w^2(l) E[phi'(sqrt(q^l) z)^2]: the local chi of this layer (equal to chi_1 at the fixed point).
    public var chi: Double
}

extension MeanFieldLayer {
    /// The shared-contract view of this layer's prediction.
    public var theory: LayerTheory {
        LayerTheory(preactivationSecondMoment: preactivationSecondMoment, gradientSecondMoment: gradientSecondMoment)
    }
}

/// Mean-field theory of a deep network at initialization.
public enum MeanField {
    /// Predicted per-layer moments of an MLP with `widths` N_0 ... N_L and per-layer sigma_w^2 (count L).
    /// Forward: q^1 = sigma_w^2(1) inputSecondMoment + sigma_b^2, q^{l+1} = sigma_w^2(l+1) E[phi(sqrt(q^l) z)^2] + sigma_b^2.
    /// Backward, with a random linear read-out dL/dx^L = G ~ N(0, 1) (the engine's convention):
    /// g^L = E[phi'(sqrt(q^L) z)^2], g^l = g^{l+1} (N_{l+1}/N_l) sigma_w^2(l+1) E[phi'(sqrt(q^l) z)^2].
    /// Values may overflow to +inf (e.g. N(0, 1) weights) but are never NaN for finite, non-negative inputs:
    /// a zero factor beats an infinite one. Returns [] when the counts do not match.
    public static func predict(activation: Activation, widths: [Int], weightVariances sigmaW2ByLayer: [Double],
                               biasVariance: Double, inputSecondMoment: Double) -> [LayerTheory] {
        predictLayers(activation: activation, widths: widths, weightVariances: sigmaW2ByLayer, biasVariance: biasVariance,
                      inputSecondMoment: inputSecondMoment).map(\.theory)
    }

    /// The same prediction with every per-layer moment (`MeanFieldLayer`); see `predict(activation:...)`.
    public static func predictLayers(activation: Activation, widths: [Int], weightVariances sigmaW2ByLayer: [Double],
                                     biasVariance: Double, inputSecondMoment: Double) -> [MeanFieldLayer] {
        predictLayers(activation: activation, widths: widths, weightVariances: sigmaW2ByLayer, biasVariance: biasVariance,
                      inputSecondMoment: inputSecondMoment, firstLayerSecondMoment: nil)
    }

    /// The prediction seeded with a measured first-layer pre-activation second moment q^1 (reference 4.4: "MF
    /// predictions are seeded with the measured q^1"); `inputSecondMoment` still enters the first layer's
    /// weight-gradient moment. nil seeds q^1 = sigma_w^2(1) inputSecondMoment + sigma_b^2.
    public static func predictLayers(activation: Activation, widths: [Int], weightVariances sigmaW2ByLayer: [Double],
                                     biasVariance: Double, inputSecondMoment: Double,
                                     firstLayerSecondMoment: Double?) -> [MeanFieldLayer] {
        let depth = widths.count - 1
        guard depth >= 1, sigmaW2ByLayer.count == depth else { return [] }
        var q = [Double](repeating: 0, count: depth + 1)        // q[l], l = 1...L
        var activationMoment = [Double](repeating: 0, count: depth + 1)
        var derivativeMoment = [Double](repeating: 0, count: depth + 1)
        var previousMoment = inputSecondMoment
        for l in 1...depth {
            q[l] = l == 1 && firstLayerSecondMoment != nil ? Swift.max(firstLayerSecondMoment!, 0)
                : signalProduct(sigmaW2ByLayer[l - 1], previousMoment) + biasVariance
            activationMoment[l] = GaussianExpectation.squaredValue(activation, q: q[l])
            derivativeMoment[l] = GaussianExpectation.squaredDerivative(activation, q: q[l])
            previousMoment = activationMoment[l]
        }
        var gradient = [Double](repeating: 0, count: depth + 1)
        gradient[depth] = derivativeMoment[depth]
        if depth >= 2 {
            for l in stride(from: depth - 1, through: 1, by: -1) {
                let widthRatio = Double(widths[l + 1]) / Double(Swift.max(widths[l], 1))
                let factor = signalProduct(widthRatio * sigmaW2ByLayer[l], derivativeMoment[l])
                gradient[l] = signalProduct(gradient[l + 1], factor)
            }
        }
        return (1...depth).map { l in
            let inputMoment = l == 1 ? inputSecondMoment : activationMoment[l - 1]
            return MeanFieldLayer(index: l, preactivationSecondMoment: q[l], activationSecondMoment: activationMoment[l],
                               gradientSecondMoment: gradient[l],
                               weightGradientSecondMoment: signalProduct(gradient[l], inputMoment),
                               chi: signalProduct(sigmaW2ByLayer[l - 1], derivativeMoment[l]))
        }
    }

    /// sigma_w^2 of every layer of `scenario` under `initializer`: fan_in Var(W); for LSUV the variances its
    /// calibration converges to (`lsuvWeightVariances`), not the orthonormal pre-init's.
    public static func weightVariances(scenario: Scenario, initializer: Initializer, inputSecondMoment: Double = 1) -> [Double] {
        guard scenario.depth >= 1 else { return [] }
        let biasVariance = scenario.biasStandardDeviation * scenario.biasStandardDeviation
        if initializer.needsCalibration {
            return lsuvWeightVariances(activation: scenario.activation, depth: scenario.depth, biasVariance: biasVariance,
                                       inputSecondMoment: inputSecondMoment)
        }
        return (1...scenario.depth).map { l in
            initializer.meanFieldWeightVariance(fanIn: scenario.widths[l - 1], fanOut: scenario.widths[l],
                                                activation: scenario.activation)
        }
    }

    /// The sigma_w^2 per layer that an ideally converged LSUV calibration (pre-activation variance 1 at every layer,
    /// biases untouched) reaches in mean field: sigma_w^2(l) = (1 - sigma_b^2) / E[(x^{l-1})^2], where x^0 has second
    /// moment `inputSecondMoment` and every later input is phi of a unit-variance Gaussian. LSUV only rescales W, so
    /// with sigma_b^2 >= 1 the target is unreachable; the orthonormal pre-init's sigma_w^2 = 1 is returned for those
    /// layers. (Pre-activation mean ~ 0 for zero-mean weights, so variance ~ second moment.)
    public static func lsuvWeightVariances(activation: Activation, depth: Int, biasVariance: Double,
                                           inputSecondMoment: Double) -> [Double] {
        guard depth >= 1 else { return [] }
        let hiddenMoment = GaussianExpectation.squaredValue(activation, q: 1)
        return (1...depth).map { l in
            let incoming = l == 1 ? inputSecondMoment : hiddenMoment
            guard biasVariance < 1, incoming > 0, incoming.isFinite else { return 1 }
            return (1 - biasVariance) / incoming
        }
    }

    /// The prediction for `scenario` under `initializer` with x^0 of second moment `inputSecondMoment` (1 for
    /// N(0, 1) inputs) and biases N(0, biasStandardDeviation^2). LSUV: the converged calibration's sigma_w^2.
    public static func predict(scenario: Scenario, initializer: Initializer, inputSecondMoment: Double = 1) -> [LayerTheory] {
        predictLayers(scenario: scenario, initializer: initializer, inputSecondMoment: inputSecondMoment).map(\.theory)
    }

    /// `predict(scenario:initializer:)` with every per-layer moment.
    public static func predictLayers(scenario: Scenario, initializer: Initializer, inputSecondMoment: Double = 1) -> [MeanFieldLayer] {
        let biasStd = scenario.biasStandardDeviation
        return predictLayers(activation: scenario.activation, widths: scenario.widths,
                             weightVariances: weightVariances(scenario: scenario, initializer: initializer,
                                                              inputSecondMoment: inputSecondMoment),
                             biasVariance: biasStd * biasStd, inputSecondMoment: inputSecondMoment)
    }

    /// Fixed point, chi_1 and depth scales for `scenario` under `initializer`, using the first layer's sigma_w^2
    /// (exact for equal widths) and starting the length iteration at the first layer's q^1. chi_1 is taken at the
    /// fixed point q* when the iteration reaches one, else at q^1 (see `MeanFieldAnalysis`).
    public static func analysis(scenario: Scenario, initializer: Initializer, inputSecondMoment: Double = 1,
                                includeCorrelation: Bool = true) -> MeanFieldAnalysis? {
        let variances = weightVariances(scenario: scenario, initializer: initializer, inputSecondMoment: inputSecondMoment)
        // LSUV's first layer only normalizes the input; its steady state is the later layers' sigma_w^2.
        guard let sigmaW2 = initializer.needsCalibration ? variances.last : variances.first else { return nil }
        let biasVariance = scenario.biasStandardDeviation * scenario.biasStandardDeviation
        let map = MeanFieldMap(activation: scenario.activation, weightVariance: sigmaW2, biasVariance: biasVariance)
        return map.analysis(startingAt: signalProduct(sigmaW2, inputSecondMoment) + biasVariance,
                            includeCorrelation: includeCorrelation)
    }

    /// chi_1 for `scenario` under `initializer` (see `analysis(scenario:initializer:)`).
    public static func chi1(scenario: Scenario, initializer: Initializer) -> Double? {
        analysis(scenario: scenario, initializer: initializer, includeCorrelation: false)?.chi1
    }

    /// The depth scale -1/ln chi_1 in layers for `scenario` under `initializer` (the xi_c of the ordered phase and
    /// the gradient e-folding depth; negative when gradients explode). nil when undefined or infinite (|chi_1 - 1| <= 1e-12),
    /// as `RunReport.depthScale` expects; `analysis(...)` has the full picture (xi_q, xi_c at c*).
    public static func depthScale(scenario: Scenario, initializer: Initializer) -> Double? {
        guard let chi1 = chi1(scenario: scenario, initializer: initializer), chi1 > 0, Swift.abs(chi1 - 1) > 1e-12, chi1.isFinite else {
            return nil
        }
        return -1 / Foundation.log(chi1)
    }
}
